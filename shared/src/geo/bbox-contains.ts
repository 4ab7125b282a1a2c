import type { BBox } from '../protocol/messages.ts';

/**
 * True when (lon, lat) lies inside or on the edge of `bbox` ([west, south, east, north]). A box whose
 * west edge is east of its east edge crosses the antimeridian and is handled as such.
 */
export function bboxContains(bbox: BBox, lon: number, lat: number): boolean {
  const [west, south, east, north] = bbox;
  if (!(lat >= south && lat <= north)) return false;
  return west <= east ? lon >= west && lon <= east : lon >= west || lon <= east;
}
