import pip from 'point-in-polygon-hao';
import type { LonLat } from './lon-lat.ts';

/** A GeoJSON polygon's rings: the outer ring first, then holes. Rings may be open or closed. */
export type PolygonRings = readonly (readonly LonLat[])[];

/**
 * True when `point` is inside the polygon or on its boundary, false in a hole or outside.
 * Robust predicates (point-in-polygon-hao, the library behind turf's test) so points on an edge
 * answer the same on every machine.
 */
export function pointInPolygon(point: LonLat, rings: PolygonRings): boolean {
  const closed: number[][][] = [];
  for (const ring of rings) {
    if (ring.length < 3) continue; // not an area: ignore rather than throw
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    const pts = ring as unknown as number[][];
    // The library insists on closed rings; GeoJSON from users is not always closed.
    closed.push(first[0] === last[0] && first[1] === last[1] ? pts : [...pts, first as unknown as number[]]);
  }
  if (closed.length === 0) return false;
  return pip(point as unknown as number[], closed) !== false;
}
