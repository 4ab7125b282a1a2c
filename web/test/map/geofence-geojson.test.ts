import { describe, expect, it } from 'vitest';
import { approxDistanceMeters } from '../../src/live/interpolate.ts';
import { circlePolygon, geofencesToGeoJson } from '../../src/map/geofence-geojson.ts';

describe('geofence geojson', () => {
  it('geofence geojson: a circle becomes a closed ring at its radius', () => {
    const ring = circlePolygon([24.94, 60.17], 300, 32);
    expect(ring).toHaveLength(33);
    expect(ring[0]).toEqual(ring[32]);
    for (const p of ring) {
      const d = approxDistanceMeters({ lon: 24.94, lat: 60.17 }, { lon: p[0] ?? 0, lat: p[1] ?? 0 });
      expect(d).toBeGreaterThan(297);
      expect(d).toBeLessThan(303);
    }
  });

  it('geofence geojson: polygons pass through with their name as a label image id', () => {
    const fc = geofencesToGeoJson([
      {
        id: 'kamppi',
        name: 'Kamppi',
        geometry: {
          type: 'polygon',
          coordinates: [
            [
              [24.93, 60.16],
              [24.94, 60.16],
              [24.94, 60.17],
              [24.93, 60.16],
            ],
          ],
        },
      },
    ]);
    expect(fc.features[0]?.properties).toMatchObject({ id: 'kamppi', label: 'txt:Kamppi' });
    expect(fc.features[0]?.geometry).toMatchObject({ type: 'Polygon' });
  });
});
