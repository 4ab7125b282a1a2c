/**
 * The view as a URL: centre, zoom, selected vehicle and filters, so a link reopens the same view.
 * `?c=24.94110,60.17130&z=13.2&v=0022/01216&m=bus,tram&r=1064,2550`. Parsing is pure and ignores
 * anything malformed (a hand-edited link degrades to defaults, never to an error).
 */
import { TRANSPORT_MODES, type TransportMode } from '@realtimemap/shared';

export interface UrlState {
  readonly center: readonly [lon: number, lat: number] | null;
  readonly zoom: number | null;
  readonly selected: string | null;
  readonly modes: readonly TransportMode[];
  readonly routes: readonly string[];
}

export const EMPTY_URL_STATE: UrlState = { center: null, zoom: null, selected: null, modes: [], routes: [] };

/** Raw (still encoded) values by key: lists are split on literal commas before decoding. */
function rawParams(search: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of search.replace(/^\?/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return '';
  }
}

function list(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => decode(s).trim())
    .filter((s) => s.length > 0);
}

export function parseUrlState(search: string): UrlState {
  const p = rawParams(search);
  let center: UrlState['center'] = null;
  const c = list(p.get('c')).map(Number);
  if (c.length === 2) {
    const [lon, lat] = c as [number, number];
    if (Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 85) {
      center = [lon, lat];
    }
  }
  const zRaw = p.get('z');
  const z = zRaw === undefined || zRaw === '' ? Number.NaN : Number(zRaw);
  const zoom = Number.isFinite(z) && z >= 0 && z <= 22 ? z : null;
  const v = decode(p.get('v') ?? '');
  const modes = list(p.get('m')).filter((m): m is TransportMode => (TRANSPORT_MODES as string[]).includes(m));
  return {
    center,
    zoom,
    selected: v.length > 0 ? v : null,
    modes: [...new Set(modes)],
    routes: [...new Set(list(p.get('r')))],
  };
}

/** Query string (with the leading `?`, or '' when empty). Order is fixed so links are stable. */
export function formatUrlState(state: UrlState): string {
  const parts: string[] = [];
  if (state.center) parts.push(`c=${state.center[0].toFixed(5)},${state.center[1].toFixed(5)}`);
  if (state.zoom !== null) parts.push(`z=${state.zoom.toFixed(2)}`);
  if (state.selected) parts.push(`v=${encodeURIComponent(state.selected).replace(/%2F/gi, '/')}`);
  if (state.modes.length > 0) parts.push(`m=${state.modes.join(',')}`);
  if (state.routes.length > 0) parts.push(`r=${state.routes.map(encodeURIComponent).join(',')}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}
