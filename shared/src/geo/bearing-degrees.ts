import type { LonLat } from './lon-lat.ts';
import { rulerAt } from './ruler.ts';

/** Initial bearing from `from` to `to`, degrees clockwise from north in [0, 360); 0 for equal points. */
export function bearingDegrees(from: LonLat, to: LonLat): number {
  if (from[0] === to[0] && from[1] === to[1]) return 0;
  const b = rulerAt((from[1] + to[1]) / 2).bearing(from, to);
  // cheap-ruler answers in (-180, 180]; the position model and HFP use [0, 360).
  const h = b < 0 ? b + 360 : b;
  return h >= 360 ? 0 : h;
}
