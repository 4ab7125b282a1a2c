import { describe, expect, it } from 'vitest';
import { DETAIL_MIN_ZOOM, DISC_RADIUS, vehicleSizes } from '../../src/map/vehicle-sizes.ts';

describe('vehicle sizes', () => {
  it('vehicle sizes: below the detail zoom plain dots that grow with the zoom, stay visible and hittable', () => {
    const zooms = [8, 9, 10, 11, 11.9];
    const radii = zooms.map((z) => vehicleSizes(z).radius);
    for (let i = 1; i < radii.length; i++) expect(radii[i]).toBeGreaterThan(radii[i - 1] ?? 0);
    for (const z of zooms) {
      const s = vehicleSizes(z);
      expect(s.detail).toBe(0);
      expect(s.radius).toBeGreaterThanOrEqual(2);
      expect(s.opacity).toBeGreaterThan(0.7);
      expect(s.hitRadius).toBeGreaterThanOrEqual(6);
    }
    expect(vehicleSizes(7).radius).toBe(vehicleSizes(8).radius);
  });

  it('vehicle sizes: from the detail zoom on, the full icon with its disc', () => {
    const s = vehicleSizes(DETAIL_MIN_ZOOM);
    expect(s.detail).toBe(1);
    expect(s.radius).toBe(DISC_RADIUS);
    expect(s.hitRadius).toBeGreaterThan(DISC_RADIUS);
  });
});
