/**
 * Builds the built-in Helsinki network from the hand-authored places and lines. Stops sit on the
 * route at named places; a place gets one stop per side of the street (HSL numbers each side
 * separately), chosen from the direction of travel, so lines running the same way share stops.
 */
import { bearingDegrees, type LonLat } from '@realtimemap/shared';
import { SIM_ERROR, SimError } from './errors.ts';
import { HELSINKI_LINES, type LineDefinition } from './helsinki-lines.ts';
import { PLACES } from './helsinki-places.ts';
import type { Network, NetworkRoute, NetworkStop, RouteDirection } from './network.ts';
import { buildPolyline } from './polyline.ts';

/** Scheduled average speed including stops, m/s: buses ~22 km/h, trams ~16 km/h in the centre. */
const SCHEDULE_SPEED = { bus: 6.2, tram: 4.6 } as const;

const PLACE_INDEX: ReadonlyMap<string, number> = new Map(Object.keys(PLACES).map((k, i) => [k, i]));

function place(key: string): readonly [number, number, string | null] {
  const p = PLACES[key];
  if (!p) throw new SimError(SIM_ERROR.networkInvalid, `built-in network: unknown place "${key}"`);
  return p;
}

/** 1 for travel roughly north/east-bound, 2 otherwise: which side of the street the stop is on. */
function sideOf(heading: number): 1 | 2 {
  return heading >= 315 || heading < 135 ? 1 : 2;
}

function buildDirection(
  def: LineDefinition,
  direction: 1 | 2,
  keys: readonly string[],
  stops: Map<string, NetworkStop>,
): RouteDirection {
  const path: LonLat[] = keys.map((k) => {
    const [lat, lon] = place(k);
    return [lon, lat];
  });
  const stopIds: string[] = [];
  keys.forEach((key, i) => {
    const [lat, lon, name] = place(key);
    if (name === null) return;
    const from = path[Math.max(0, i - 1)]!;
    const to = path[Math.min(path.length - 1, i + 1)]!;
    const side = sideOf(bearingDegrees(from, to));
    const id = String(1_000_000 + PLACE_INDEX.get(key)! * 10 + side);
    if (!stops.has(id)) stops.set(id, { id, name, lat, lon });
    stopIds.push(id);
  });
  if (stopIds.length < 2)
    throw new SimError(SIM_ERROR.networkInvalid, `line ${def.line}: fewer than two stops`);
  const length = buildPolyline(path).length;
  return {
    direction,
    headsign: direction === 1 ? def.headsigns[0] : def.headsigns[1],
    path,
    stopIds,
    runSeconds: Math.round(length / SCHEDULE_SPEED[def.mode] / 60) * 60,
  };
}

/** The built-in Helsinki network: 27 lines (11 tram, 16 bus), built fresh on each call. */
export function network(): Network {
  const stops = new Map<string, NetworkStop>();
  const routes: NetworkRoute[] = HELSINKI_LINES.map((def) => ({
    routeId: def.routeId,
    line: def.line,
    mode: def.mode,
    lineNumber: def.lineNumber,
    operators: def.operators,
    weight: def.weight,
    directions: [
      buildDirection(def, 1, def.via, stops),
      buildDirection(def, 2, [...def.via].reverse(), stops),
    ],
  }));
  return { name: 'helsinki-builtin', stops, routes };
}
