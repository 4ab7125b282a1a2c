/** Geofences as GeoJSON polygons for drawing (circles become 64-gons). Pure. */

import type { Geofence } from '@realtimemap/shared';
import type { FeatureCollection } from 'geojson';

const METERS_PER_DEGREE = 111_320;

export function circlePolygon(
  center: readonly [number, number],
  radiusMeters: number,
  steps = 64,
): number[][] {
  const [lon, lat] = center;
  const ring: number[][] = [];
  const dLat = radiusMeters / METERS_PER_DEGREE;
  const dLon = radiusMeters / (METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180));
  for (let i = 0; i <= steps; i++) {
    const a = (i / steps) * Math.PI * 2;
    ring.push([lon + dLon * Math.sin(a), lat + dLat * Math.cos(a)]);
  }
  return ring;
}

export function geofencesToGeoJson(geofences: readonly Geofence[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: geofences.map((g) => ({
      type: 'Feature',
      id: g.id,
      properties: { id: g.id, name: g.name, label: `txt:${g.name}` },
      geometry: {
        type: 'Polygon',
        coordinates:
          g.geometry.type === 'circle'
            ? [circlePolygon(g.geometry.center, g.geometry.radiusMeters)]
            : g.geometry.coordinates.map((ring) => ring.map(([x, y]) => [x, y])),
      },
    })),
  };
}
