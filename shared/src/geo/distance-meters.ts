import type { LonLat } from './lon-lat.ts';
import { rulerAt } from './ruler.ts';

/**
 * Distance between two points in metres. City-scale (cheap-ruler at the pair's mean latitude):
 * error stays below 0.1 % up to a few hundred kilometres, which is all this app measures.
 */
export function distanceMeters(a: LonLat, b: LonLat): number {
  return rulerAt((a[1] + b[1]) / 2).distance(a, b);
}
