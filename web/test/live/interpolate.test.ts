import { describe, expect, it } from 'vitest';
import {
  approxDistanceMeters,
  isMoving,
  MAX_SLIDE_MS,
  positionAt,
  retarget,
  SNAP_METERS,
} from '../../src/live/interpolate.ts';

describe('interpolate', () => {
  it('interpolate: first position is drawn where it is, not moving', () => {
    const t = retarget(undefined, 24.94, 60.17, 1000, 0);
    expect(positionAt(t, 1000)).toEqual({ lon: 24.94, lat: 60.17 });
    expect(isMoving(t, 1000)).toBe(false);
  });

  it('interpolate: a 1 Hz update slides from the drawn position to the new one over the interval', () => {
    const a = retarget(undefined, 24.94, 60.17, 0, 0);
    const b = retarget(a, 24.9402, 60.1701, 1000, 1000);
    expect(b.duration).toBe(1000);
    const mid = positionAt(b, 1500);
    expect(mid.lon).toBeCloseTo(24.9401, 6);
    expect(mid.lat).toBeCloseTo(60.17005, 6);
    expect(positionAt(b, 2000)).toEqual({ lon: 24.9402, lat: 60.1701 });
    expect(isMoving(b, 1500)).toBe(true);
    expect(isMoving(b, 2000)).toBe(false);
  });

  it('interpolate: an update mid-slide continues from the drawn point (no jump back)', () => {
    const a = retarget(undefined, 24.94, 60.17, 0, 0);
    const b = retarget(a, 24.941, 60.17, 1000, 1000);
    const drawn = positionAt(b, 1500);
    const c = retarget(b, 24.942, 60.17, 1500, 500);
    expect(positionAt(c, 1500)).toEqual(drawn);
    expect(c.toLon).toBe(24.942);
  });

  it('interpolate: a correction larger than the snap distance snaps instead of sliding', () => {
    const a = retarget(undefined, 24.94, 60.17, 0, 0);
    const far = retarget(a, 24.96, 60.17, 1000, 1000); // ~1.1 km east
    expect(approxDistanceMeters({ lon: 24.94, lat: 60.17 }, { lon: 24.96, lat: 60.17 })).toBeGreaterThan(
      SNAP_METERS,
    );
    expect(positionAt(far, 1000)).toEqual({ lon: 24.96, lat: 60.17 });
    expect(isMoving(far, 1000)).toBe(false);
  });

  it('interpolate: long silences are not animated longer than the cap', () => {
    const a = retarget(undefined, 24.94, 60.17, 0, 0);
    const b = retarget(a, 24.9401, 60.17, 60_000, 60_000);
    expect(b.duration).toBe(MAX_SLIDE_MS);
  });

  it('interpolate: distance is right at Helsinki latitude', () => {
    // 0.01 degree of longitude at 60.17 N is ~555 m.
    expect(approxDistanceMeters({ lon: 24.94, lat: 60.17 }, { lon: 24.95, lat: 60.17 })).toBeCloseTo(555, -1);
  });
});
