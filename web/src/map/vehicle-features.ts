/**
 * The per-frame GeoJSON of vehicles: drawn (interpolated) positions plus the properties the layers
 * style by. Pure apart from reading the store; allocates one array per frame and reuses nothing, which
 * at 3,000 vehicles costs well under a millisecond (see bench/render.bench.ts).
 */

import type { TransportMode } from '@realtimemap/shared';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { positionAt } from '../live/interpolate.ts';
import type { VehicleStore } from '../live/vehicle-store.ts';
import { passesFilter } from '../state/ui-store.ts';
import { MODE_COLORS, STALE_COLOR } from './mode-colors.ts';

export interface FeatureOptions {
  readonly now: number;
  readonly modes: readonly TransportMode[];
  readonly routes: readonly string[];
  readonly favourites: readonly string[];
  /** false while disconnected: everything is drawn grey. */
  readonly live: boolean;
  /** Always included even when filtered out (the followed vehicle). */
  readonly selectedId: string | null;
}

export interface RenderedVehicle {
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
  readonly line: string | null;
}

export function buildVehicleFeatures(
  store: VehicleStore,
  o: FeatureOptions,
  rendered: RenderedVehicle[],
): FeatureCollection<Point> {
  const features: Feature<Point>[] = [];
  rendered.length = 0;
  for (const v of store.vehicles.values()) {
    const s = v.state;
    const selected = s.vehicleId === o.selectedId;
    if (!selected && !passesFilter(s.mode, s.routeId, o.modes, o.routes)) continue;
    const p = positionAt(v.track, o.now);
    const color = o.live ? MODE_COLORS[s.mode] : STALE_COLOR;
    const hasHeading = s.heading !== null;
    rendered.push({ id: s.vehicleId, lon: p.lon, lat: p.lat, line: s.line });
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      properties: {
        id: s.vehicleId,
        color,
        icon: `veh:${color}:${hasHeading ? 1 : 0}`,
        label: s.line ? `lbl:${s.line}` : '',
        heading: s.heading ?? 0,
        doors: s.doorsOpen === true,
        stale: s.stale || !o.live,
        fav: s.routeId !== null && o.favourites.includes(s.routeId),
        selected,
      },
    });
  }
  return { type: 'FeatureCollection', features };
}
