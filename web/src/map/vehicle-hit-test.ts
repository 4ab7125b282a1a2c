/**
 * Which drawn vehicle a click (or the pointer) is on: the nearest one whose screen position is within
 * `radius` pixels, searched on the CPU over the positions drawn in the last frame. The layer draws on
 * the GPU, so MapLibre's queryRenderedFeatures cannot see it. O(n) per click: 3,000 projections are a
 * millisecond or two, once per click.
 */
import type { VehicleInstances } from './vehicle-instances.ts';

export type Project = (lon: number, lat: number) => { readonly x: number; readonly y: number };

/** Index into `instances` of the vehicle under (x, y), or -1. Later (drawn on top) wins a tie. */
export function vehicleAt(
  instances: Pick<VehicleInstances, 'count' | 'lonLat'>,
  project: Project,
  x: number,
  y: number,
  radius: number,
): number {
  let best = -1;
  let bestD2 = radius * radius;
  const { lonLat } = instances;
  for (let i = 0; i < instances.count; i++) {
    const p = project(lonLat[2 * i] ?? 0, lonLat[2 * i + 1] ?? 0);
    const dx = p.x - x;
    const dy = p.y - y;
    const d2 = dx * dx + dy * dy;
    if (d2 <= bestD2) {
      bestD2 = d2;
      best = i;
    }
  }
  return best;
}
