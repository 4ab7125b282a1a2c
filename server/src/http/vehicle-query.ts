/** Pure filtering of `GET /api/vehicles`: bbox, mode, route, operator, limit. */
import { type BBox, bboxContains, type TransportMode, type VehicleState } from '@realtimemap/shared';

export interface VehicleQuery {
  readonly bbox?: BBox;
  readonly modes?: ReadonlySet<TransportMode>;
  /** Matches route id or line. */
  readonly routes?: ReadonlySet<string>;
  readonly operators?: ReadonlySet<string>;
  readonly limit: number;
}

/** Parses `w,s,e,n`; a reason when it is not four in-range numbers with south <= north. */
export function parseBbox(value: string): BBox | { readonly error: string } {
  const parts = value.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
    return { error: 'bbox must be four numbers: west,south,east,north' };
  }
  const [w, s, e, n] = parts as [number, number, number, number];
  if (w < -180 || w > 180 || e < -180 || e > 180 || s < -90 || n > 90 || s > n) {
    return { error: 'bbox must be west,south,east,north in WGS84 degrees with south <= north' };
  }
  return [w, s, e, n];
}

export function queryVehicles(vehicles: Iterable<VehicleState>, q: VehicleQuery): VehicleState[] {
  const out: VehicleState[] = [];
  for (const v of vehicles) {
    if (q.bbox && !bboxContains(q.bbox, v.lon, v.lat)) continue;
    if (q.modes && !q.modes.has(v.mode)) continue;
    if (q.routes && !((v.routeId && q.routes.has(v.routeId)) || (v.line && q.routes.has(v.line)))) continue;
    if (q.operators && !q.operators.has(v.operatorId)) continue;
    out.push(v);
  }
  out.sort((a, b) => (a.vehicleId < b.vehicleId ? -1 : a.vehicleId > b.vehicleId ? 1 : 0));
  return out.slice(0, q.limit);
}
