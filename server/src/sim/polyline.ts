/**
 * A measured path: cumulative distances along a lon/lat polyline, position and heading at any
 * distance. Uses one flat-earth ruler for the whole path (city scale), so `at()` is a few multiplies.
 */
import { type LonLat, rulerAt } from '@realtimemap/shared';

export interface PathPoint {
  readonly lon: number;
  readonly lat: number;
  /** Degrees clockwise from north, [0, 360). */
  readonly heading: number;
}

export interface Polyline {
  readonly points: readonly LonLat[];
  /** Total length, metres. */
  readonly length: number;
  /** Cumulative distance at each point, metres. */
  readonly cumulative: readonly number[];
  /** Position at `distance` metres from the start (clamped to the ends). */
  at(distance: number): PathPoint;
  /** Distance along the path of the point nearest to `p`. */
  project(p: LonLat): number;
}

export function buildPolyline(points: readonly LonLat[]): Polyline {
  if (points.length < 2) throw new Error('a polyline needs at least two points');
  const ruler = rulerAt(points[0]![1]);
  // Metres per degree at this latitude (cheap-ruler's kx/ky, derived to keep the hot path inline).
  const ky = ruler.distance([0, points[0]![1]], [0, points[0]![1] + 0.001]) * 1000;
  const kx = ruler.distance([points[0]![0], points[0]![1]], [points[0]![0] + 0.001, points[0]![1]]) * 1000;
  const cumulative: number[] = [0];
  const headings: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const dx = (b[0] - a[0]) * kx;
    const dy = (b[1] - a[1]) * ky;
    cumulative.push(cumulative[i - 1]! + Math.hypot(dx, dy));
    const h = (Math.atan2(dx, dy) * 180) / Math.PI;
    headings.push(h < 0 ? h + 360 : h);
  }
  const length = cumulative[cumulative.length - 1]!;

  const segmentAt = (d: number): number => {
    let lo = 0;
    let hi = cumulative.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! <= d) lo = mid;
      else hi = mid;
    }
    return lo;
  };

  return {
    points,
    length,
    cumulative,
    at(distance) {
      const d = distance <= 0 ? 0 : Math.min(distance, length);
      const i = segmentAt(d);
      const a = points[i]!;
      const b = points[i + 1]!;
      const segLen = cumulative[i + 1]! - cumulative[i]!;
      const t = segLen > 0 ? (d - cumulative[i]!) / segLen : 0;
      return { lon: a[0] + (b[0] - a[0]) * t, lat: a[1] + (b[1] - a[1]) * t, heading: headings[i]! };
    },
    project(p) {
      let best = 0;
      let bestDist = Number.POSITIVE_INFINITY;
      for (let i = 0; i < points.length - 1; i++) {
        const a = points[i]!;
        const b = points[i + 1]!;
        const ax = (p[0] - a[0]) * kx;
        const ay = (p[1] - a[1]) * ky;
        const bx = (b[0] - a[0]) * kx;
        const by = (b[1] - a[1]) * ky;
        const len2 = bx * bx + by * by;
        const t = len2 > 0 ? Math.max(0, Math.min(1, (ax * bx + ay * by) / len2)) : 0;
        const dist = Math.hypot(ax - t * bx, ay - t * by);
        if (dist < bestDist) {
          bestDist = dist;
          best = cumulative[i]! + t * Math.sqrt(len2);
        }
      }
      return best;
    },
  };
}
