import { describe, expect, it } from 'vitest';
import {
  bboxContains,
  bearingDegrees,
  distanceMeters,
  isValidLonLat,
  pointInPolygon,
  pointToSegmentMeters,
  rulerAt,
} from '../../src/geo/index.ts';

// Reference distances by haversine on a 6371.0088 km sphere (independent of the library under test).
function haversine(a: readonly [number, number], b: readonly [number, number]): number {
  const r = 6371008.8;
  const toRad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * toRad;
  const dLon = (b[0] - a[0]) * toRad;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

const RAUTATIENTORI = [24.9414, 60.1711] as const;
const KAMPPI = [24.9316, 60.1688] as const;

describe('geo', () => {
  it('geo: distance in metres matches haversine within 0.5 % at city scale', () => {
    const d = distanceMeters(RAUTATIENTORI, KAMPPI);
    expect(d).toBeGreaterThan(500);
    expect(Math.abs(d - haversine(RAUTATIENTORI, KAMPPI)) / d).toBeLessThan(0.005);
    // ~1 km north: one minute of latitude is ~1852 m.
    expect(distanceMeters([24.9, 60], [24.9, 60 + 1 / 60])).toBeCloseTo(1852, -1);
    expect(distanceMeters(KAMPPI, KAMPPI)).toBe(0);
  });

  it('geo: a reusable ruler gives the same distance', () => {
    expect(rulerAt(60.17).distance(RAUTATIENTORI, KAMPPI)).toBeCloseTo(
      distanceMeters(RAUTATIENTORI, KAMPPI),
      0,
    );
  });

  it('geo: bearing is clockwise from north in [0, 360)', () => {
    expect(bearingDegrees([24.9, 60], [24.9, 60.01])).toBeCloseTo(0, 5);
    expect(bearingDegrees([24.9, 60], [24.91, 60])).toBeCloseTo(90, 1);
    expect(bearingDegrees([24.9, 60.01], [24.9, 60])).toBeCloseTo(180, 5);
    expect(bearingDegrees([24.91, 60], [24.9, 60])).toBeCloseTo(270, 1);
    expect(bearingDegrees(KAMPPI, KAMPPI)).toBe(0);
    const b = bearingDegrees([24.9, 60.01], [24.8999, 60]);
    expect(b).toBeGreaterThan(180);
    expect(b).toBeLessThan(360);
  });

  it('geo: bbox contains inside and edge points, not outside ones', () => {
    const bbox = [24.9, 60.1, 25.0, 60.2] as const;
    expect(bboxContains(bbox, 24.95, 60.15)).toBe(true);
    expect(bboxContains(bbox, 24.9, 60.1)).toBe(true);
    expect(bboxContains(bbox, 25.0001, 60.15)).toBe(false);
    expect(bboxContains(bbox, 24.95, 60.0999)).toBe(false);
    expect(bboxContains(bbox, Number.NaN, 60.15)).toBe(false);
  });

  it('geo: bbox across the antimeridian', () => {
    const bbox = [170, -10, -170, 10] as const;
    expect(bboxContains(bbox, 179, 0)).toBe(true);
    expect(bboxContains(bbox, -179, 0)).toBe(true);
    expect(bboxContains(bbox, 0, 0)).toBe(false);
  });

  it('geo: point in polygon honours holes, edges and open rings', () => {
    const outer = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
      [0, 0],
    ] as const;
    const hole = [
      [4, 4],
      [6, 4],
      [6, 6],
      [4, 6],
    ] as const; // open ring on purpose
    expect(pointInPolygon([5, 5], [outer])).toBe(true);
    expect(pointInPolygon([5, 5], [outer, hole])).toBe(false);
    expect(pointInPolygon([2, 2], [outer, hole])).toBe(true);
    expect(pointInPolygon([11, 5], [outer])).toBe(false);
    expect(pointInPolygon([10, 5], [outer])).toBe(true); // on the boundary
    expect(pointInPolygon([5, 5], [])).toBe(false);
    expect(pointInPolygon([5, 5], [[[0, 0]]])).toBe(false);
  });

  it('geo: point to segment distance uses the foot or the nearer end', () => {
    const a = [24.9, 60.17] as const;
    const b = [24.92, 60.17] as const;
    const above = [24.91, 60.17 + 1 / 60] as const; // ~1852 m north of the middle
    expect(pointToSegmentMeters(above, a, b)).toBeCloseTo(1852, -1);
    const beyond = [24.93, 60.17] as const;
    expect(pointToSegmentMeters(beyond, a, b)).toBeCloseTo(distanceMeters(beyond, b), 3);
    expect(pointToSegmentMeters(above, a, a)).toBeCloseTo(distanceMeters(above, a), 0);
  });

  it('geo: valid coordinates', () => {
    expect(isValidLonLat(24.9, 60.1)).toBe(true);
    expect(isValidLonLat(180, -90)).toBe(true);
    expect(isValidLonLat(180.1, 0)).toBe(false);
    expect(isValidLonLat(0, Number.NaN)).toBe(false);
    expect(isValidLonLat(Number.POSITIVE_INFINITY, 0)).toBe(false);
  });
});
