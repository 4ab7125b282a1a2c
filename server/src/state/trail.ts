import type { TrailPoint } from '@realtimemap/shared';

export interface TrailBounds {
  /** At most this many points. */
  readonly maxLength: number;
  /** Points older than the newest by more than this are dropped. */
  readonly maxAgeMs: number;
}

/**
 * Inserts `point` into the time-ordered `trail` in place (late points land where their time says),
 * then trims to the bounds. A point with an event time already present is a duplicate and is ignored.
 * Returns whether the trail changed.
 */
export function insertTrailPoint(trail: TrailPoint[], point: TrailPoint, bounds: TrailBounds): boolean {
  let i = trail.length;
  // Nearly always appended: walk back from the end.
  while (i > 0 && trail[i - 1]!.t > point.t) i--;
  if (i > 0 && trail[i - 1]!.t === point.t) return false;
  const newest = trail.length > 0 ? Math.max(trail[trail.length - 1]!.t, point.t) : point.t;
  if (point.t < newest - bounds.maxAgeMs) return false;
  trail.splice(i, 0, point);
  let drop = 0;
  while (drop < trail.length && trail[drop]!.t < newest - bounds.maxAgeMs) drop++;
  drop = Math.max(drop, trail.length - bounds.maxLength);
  if (drop > 0) trail.splice(0, drop);
  return true;
}
