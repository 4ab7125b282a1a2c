import { describe, expect, it } from 'vitest';
import { vehicleAt } from '../../src/map/vehicle-hit-test.ts';

// Three vehicles; "projection" is lon/lat * 100 px.
const instances = { count: 3, lonLat: new Float64Array([1, 1, 1.05, 1, 3, 3]) };
const project = (lon: number, lat: number) => ({ x: lon * 100, y: lat * 100 });

describe('vehicle hit-test', () => {
  it('vehicle hit-test: the nearest drawn vehicle within the radius, or none', () => {
    expect(vehicleAt(instances, project, 101, 100, 12)).toBe(0);
    expect(vehicleAt(instances, project, 104, 100, 12)).toBe(1);
    expect(vehicleAt(instances, project, 300, 312, 12)).toBe(2);
    expect(vehicleAt(instances, project, 200, 200, 12)).toBe(-1);
  });

  it('vehicle hit-test: only the first `count` slots are searched', () => {
    expect(vehicleAt({ ...instances, count: 2 }, project, 300, 300, 12)).toBe(-1);
  });
});
