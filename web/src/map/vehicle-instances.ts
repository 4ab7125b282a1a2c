/**
 * The vehicles as the GL layer draws them: flat typed arrays, one slot per drawn vehicle, refilled in
 * place (no per-frame objects, no GeoJSON, no worker round trip).
 *
 * - `rebuild()` (when the store or a filter changed, ~10 times a second at most): which vehicles are
 *   drawn, in which order (the selected one last, so on top), and their style attributes.
 * - `updatePositions()` (every animation frame): each drawn vehicle's interpolated position, as lon/lat
 *   (for hit-testing and the debug hook) and as a float32 Web Mercator offset from an origin near the
 *   view (float32 absolute mercator coordinates would jitter by metres at street zoom).
 */
import type { TransportMode } from '@realtimemap/shared';
import { positionAt } from '../live/interpolate.ts';
import type { LiveVehicle, VehicleStore } from '../live/vehicle-store.ts';
import { passesFilter } from '../state/ui-store.ts';
import { MODE_COLORS, STALE_COLOR } from './mode-colors.ts';

/** Floats per vehicle in `style`: r, g, b, alpha, heading (rad), flags, label u, v, width, height. */
export const STYLE_FLOATS = 10;
export const FLAG_DOORS = 1;
export const FLAG_FAVOURITE = 2;
export const FLAG_SELECTED = 4;
export const FLAG_HEADING = 8;
/** Opacity of a last-known (stale or disconnected) vehicle. */
export const STALE_ALPHA = 0.4;

export interface LabelRect {
  /** Top-left in the atlas texture, 0..1. */
  readonly u: number;
  readonly v: number;
  /** Size in CSS pixels. */
  readonly width: number;
  readonly height: number;
}

/** Where a line label is in the label texture (null: no room; drawn without label). */
export interface LabelLookup {
  rect(text: string): LabelRect | null;
}

export interface InstanceOptions {
  readonly modes: readonly TransportMode[];
  readonly routes: readonly string[];
  readonly favourites: readonly string[];
  /** false while disconnected: every vehicle is a grey last-known position. */
  readonly live: boolean;
  /** Always drawn, even when filtered out (the followed vehicle). */
  readonly selectedId: string | null;
}

export interface RenderedVehicle {
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
  readonly line: string | null;
  /** Fill colour drawn (#rrggbb): the mode's colour, or grey when last-known. */
  readonly color: string;
  /** Drawn faded: the server marked it stale, or the page is disconnected. */
  readonly stale: boolean;
}

export function mercatorX(lon: number): number {
  return (lon + 180) / 360;
}

export function mercatorY(lat: number): number {
  const s = Math.sin((lat * Math.PI) / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
}

/** Float32, like the style array, so an unchanged value compares equal. */
const STYLE_SCRATCH = new Float32Array(STYLE_FLOATS);

const rgbCache = new Map<string, readonly [number, number, number]>();
function rgb(hex: string): readonly [number, number, number] {
  let c = rgbCache.get(hex);
  if (!c) {
    const n = Number.parseInt(hex.slice(1), 16);
    c = [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
    rgbCache.set(hex, c);
  }
  return c;
}

export class VehicleInstances {
  count = 0;
  private capacity = 0;
  private vehicles: LiveVehicle[] = [];
  private colors: string[] = [];
  /** Drawn positions of the last updatePositions(), lon/lat interleaved. */
  lonLat = new Float64Array(0);
  /** Mercator offsets from the origin given to updatePositions(), interleaved, float32 for the GPU. */
  offsets = new Float32Array(0);
  style = new Float32Array(0);
  /** Bumped by rebuild(): the style buffer must be uploaded again. */
  styleVersion = 0;
  /** Absolute mercator positions now, and as last painted: the loop repaints only when they differ visibly. */
  merc = new Float64Array(0);
  private painted = new Float64Array(0);
  /** Something other than positions changed since the last paint (set, order or style). */
  changed = true;
  /** The mercator point `offsets` are relative to. */
  originX = 0.5;
  originY = 0.5;

  rebuild(store: VehicleStore, o: InstanceOptions, labels: LabelLookup): void {
    this.ensure(store.vehicles.size);
    let n = 0;
    let selected: LiveVehicle | null = null;
    for (const v of store.vehicles.values()) {
      const s = v.state;
      if (s.vehicleId === o.selectedId) {
        selected = v;
        continue;
      }
      if (!passesFilter(s.mode, s.routeId, o.modes, o.routes)) continue;
      this.write(n++, v, o, labels, false);
    }
    if (selected) this.write(n++, selected, o, labels, true);
    if (n !== this.count) this.changed = true;
    this.count = n;
    this.vehicles.length = n;
    this.colors.length = n;
    this.styleVersion++;
  }

  /** Interpolated positions (call after every rebuild(): slots may now hold other vehicles) at `now`, as offsets from the mercator point (originX, originY). */
  updatePositions(now: number, originX: number, originY: number): void {
    const { lonLat, offsets, merc } = this;
    this.originX = originX;
    this.originY = originY;
    for (let i = 0; i < this.count; i++) {
      const v = this.vehicles[i];
      if (!v) continue;
      const p = positionAt(v.track, now);
      lonLat[2 * i] = p.lon;
      lonLat[2 * i + 1] = p.lat;
      const x = mercatorX(p.lon);
      const y = mercatorY(p.lat);
      merc[2 * i] = x;
      merc[2 * i + 1] = y;
      offsets[2 * i] = x - originX;
      offsets[2 * i + 1] = y - originY;
    }
  }

  /** Largest move of any vehicle since markPainted(), in mercator units (x or y). */
  maxShiftSincePaint(): number {
    let max = 0;
    const { merc, painted } = this;
    for (let i = 0; i < 2 * this.count; i++) {
      const d = Math.abs((merc[i] ?? 0) - (painted[i] ?? 0));
      if (d > max) max = d;
    }
    return max;
  }

  /** The positions and style now in the arrays were drawn. */
  markPainted(): void {
    this.painted.set(this.merc.subarray(0, 2 * this.count));
    this.changed = false;
  }

  idAt(i: number): string | undefined {
    return this.vehicles[i]?.state.vehicleId;
  }

  lineAt(i: number): string | null {
    return this.vehicles[i]?.state.line ?? null;
  }

  colorAt(i: number): string {
    return this.colors[i] ?? STALE_COLOR;
  }

  /** What was drawn in the last frame (for the debug hook and the end-to-end tests). */
  rendered(): RenderedVehicle[] {
    const out: RenderedVehicle[] = [];
    for (let i = 0; i < this.count; i++) {
      const v = this.vehicles[i];
      if (!v) continue;
      out.push({
        id: v.state.vehicleId,
        lon: this.lonLat[2 * i] ?? v.state.lon,
        lat: this.lonLat[2 * i + 1] ?? v.state.lat,
        line: v.state.line,
        color: this.colors[i] ?? STALE_COLOR,
        stale: (this.style[i * STYLE_FLOATS + 3] ?? 1) < 1,
      });
    }
    return out;
  }

  private write(i: number, v: LiveVehicle, o: InstanceOptions, labels: LabelLookup, selected: boolean): void {
    const s = v.state;
    const color = o.live ? MODE_COLORS[s.mode] : STALE_COLOR;
    const [r, g, b] = rgb(color);
    const stale = s.stale || !o.live;
    let flags = 0;
    if (s.doorsOpen === true) flags |= FLAG_DOORS;
    if (s.routeId !== null && o.favourites.includes(s.routeId)) flags |= FLAG_FAVOURITE;
    if (selected) flags |= FLAG_SELECTED;
    if (s.heading !== null) flags |= FLAG_HEADING;
    const label = s.line ? labels.rect(s.line) : null;
    const k = i * STYLE_FLOATS;
    const st = this.style;
    const values = STYLE_SCRATCH;
    values[0] = r;
    values[1] = g;
    values[2] = b;
    values[3] = stale ? STALE_ALPHA : 1;
    values[4] = ((s.heading ?? 0) * Math.PI) / 180;
    values[5] = flags;
    values[6] = label?.u ?? 0;
    values[7] = label?.v ?? 0;
    values[8] = label?.width ?? 0;
    values[9] = label?.height ?? 0;
    for (let j = 0; j < STYLE_FLOATS; j++) {
      const value = values[j] ?? 0;
      if (st[k + j] !== value) {
        st[k + j] = value;
        this.changed = true;
      }
    }
    if (this.vehicles[i] !== v) this.changed = true;
    this.vehicles[i] = v;
    this.colors[i] = color;
  }

  private ensure(n: number): void {
    if (n <= this.capacity) return;
    const cap = Math.max(256, 2 ** Math.ceil(Math.log2(n)));
    const lonLat = new Float64Array(cap * 2);
    lonLat.set(this.lonLat);
    const offsets = new Float32Array(cap * 2);
    offsets.set(this.offsets);
    const style = new Float32Array(cap * STYLE_FLOATS);
    style.set(this.style);
    const merc = new Float64Array(cap * 2);
    merc.set(this.merc);
    const painted = new Float64Array(cap * 2);
    painted.set(this.painted);
    this.merc = merc;
    this.painted = painted;
    this.lonLat = lonLat;
    this.offsets = offsets;
    this.style = style;
    this.capacity = cap;
  }
}
