import type { LonLat } from './lon-lat.ts';
import { rulerAt } from './ruler.ts';

/** Shortest distance in metres from `p` to the segment a-b (to the nearer end when the foot falls outside). */
export function pointToSegmentMeters(p: LonLat, a: LonLat, b: LonLat): number {
  return rulerAt(p[1]).pointToSegmentDistance(p, a, b);
}
