/**
 * Builds the built-in Helsinki network from the hand-authored places and lines. Stops sit on the
 * route at named places; a place gets one stop per side of the street (HSL numbers each side
 * separately), chosen from the direction of travel, so lines running the same way share stops.
 */
import { bearingDegrees, type LonLat } from '@realtimemap/shared';
import { SIM_ERROR, SimError } from './errors.ts';
import { HELSINKI_LINES } from './helsinki-lines.ts';
import { EAST_LINES } from './helsinki-lines-east.ts';
import { OUTER_LINES } from './helsinki-lines-outer.ts';
import { WEST_LINES } from './helsinki-lines-west.ts';
import { PLACES as INNER_PLACES } from './helsinki-places.ts';
import { EAST_PLACES, EAST_VANTAA_PLACES } from './helsinki-places-east.ts';
import { ESPOO_PLACES, OUTER_PLACES, VANTAA_PLACES } from './helsinki-places-outer.ts';
import { WEST_ESPOO_PLACES, WEST_PLACES } from './helsinki-places-west.ts';
import type { LineDefinition } from './line-definition.ts';
import type { Network, NetworkRoute, NetworkStop, RouteDirection } from './network.ts';
import { buildPolyline } from './polyline.ts';

/**
 * The timetable's run time: driving at the speed vehicles average between stops (traffic included),
 * plus the time each stop costs (braking, dwell, pulling out). Kept in step with ./vehicle.ts's
 * motion so delays stay small and drift both ways, as on a well-planned timetable.
 */
const RUN_SPEED = { bus: 8.3, tram: 5.9 } as const;
const STOP_SECONDS = { bus: 26, tram: 32 } as const;

// Inner places first: their stop ids stay what they were before the outer network was added.
const PLACES = { ...INNER_PLACES, ...OUTER_PLACES, ...EAST_PLACES, ...WEST_PLACES };
const LINES: readonly LineDefinition[] = [...HELSINKI_LINES, ...OUTER_LINES, ...EAST_LINES, ...WEST_LINES];

const PLACE_INDEX: ReadonlyMap<string, number> = new Map(Object.keys(PLACES).map((k, i) => [k, i]));

function place(key: string): readonly [number, number, string | null] {
  const p = PLACES[key];
  if (!p) throw new SimError(SIM_ERROR.networkInvalid, `built-in network: unknown place "${key}"`);
  return p;
}

/** HSL's stop-number series by municipality: Helsinki 1xxxxxx, Espoo 2xxxxxx, Vantaa 4xxxxxx. */
function municipalityBase(key: string): number {
  if (ESPOO_PLACES.has(key) || WEST_ESPOO_PLACES.has(key)) return 2_000_000;
  if (VANTAA_PLACES.has(key) || EAST_VANTAA_PLACES.has(key)) return 4_000_000;
  return 1_000_000;
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
    const id = String(municipalityBase(key) + PLACE_INDEX.get(key)! * 10 + side);
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
    runSeconds:
      Math.round((length / RUN_SPEED[def.mode] + stopIds.length * STOP_SECONDS[def.mode]) / 60) * 60,
  };
}

/**
 * The built-in Helsinki network (the inner city's lines and the suburban and regional ones), built
 * fresh on each call. A line's fleet weight is its peak frequency (departures an hour), so a fleet
 * shared by weight x round trip gives every line its own headway.
 */
export function network(): Network {
  const stops = new Map<string, NetworkStop>();
  const routes: NetworkRoute[] = LINES.map((def) => ({
    routeId: def.routeId,
    line: def.line,
    mode: def.mode,
    lineNumber: def.lineNumber,
    operators: def.operators,
    weight: 60 / def.headway,
    directions: [
      buildDirection(def, 1, def.via, stops),
      buildDirection(def, 2, [...def.via].reverse(), stops),
    ],
  }));
  // Every HSL tram line but the newest is here; of the ~300 bus lines, over half.
  return { name: 'helsinki-builtin', stops, routes, completeModes: ['tram'] };
}
