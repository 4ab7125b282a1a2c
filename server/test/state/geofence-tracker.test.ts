import { describe, expect, it } from 'vitest';
import { GeofenceTracker } from '../../src/state/geofence-tracker.ts';
import { DEFAULT_GEOFENCES, geofencesFromGeoJson } from '../../src/state/geofences.ts';
import { position } from '../support/position-fixture.ts';

describe('state: geofences', () => {
  it('state: entering and leaving a default circle produces enter and exit events', () => {
    const tracker = new GeofenceTracker(DEFAULT_GEOFENCES);
    // Railway Square (r 150 m) sits inside Downtown (r 1700 m).
    const inSquare = tracker.evaluate(position({ lat: 60.171285, lon: 24.943936, eventTime: 1 }));
    expect(inSquare.map((e) => `${e.kind}:${e.geofenceId}`).sort()).toEqual([
      'enter:downtown',
      'enter:railway-square',
    ]);
    expect(tracker.evaluate(position({ lat: 60.1713, lon: 24.9439, eventTime: 2 }))).toEqual([]);
    const out = tracker.evaluate(position({ lat: 60.1755, lon: 24.9439, eventTime: 3 }));
    expect(out).toEqual([
      expect.objectContaining({
        kind: 'exit',
        geofenceId: 'railway-square',
        vehicleId: '0022/01216',
        time: 3,
        line: '64',
      }),
    ]);
    expect(tracker.vehiclesIn('downtown')).toEqual(['0022/01216']);
    expect(tracker.vehiclesIn('railway-square')).toEqual([]);
  });

  it('state: a removed vehicle exits every geofence it was in', () => {
    const tracker = new GeofenceTracker(DEFAULT_GEOFENCES);
    tracker.evaluate(position({ lat: 60.31146, lon: 24.96907 }));
    expect(tracker.remove('0022/01216', 99).map((e) => `${e.kind}:${e.geofenceId}:${e.time}`)).toEqual([
      'exit:airport:99',
    ]);
    expect(tracker.vehiclesIn('airport')).toEqual([]);
  });

  it('state: polygons from GeoJSON, with holes, and circles from Points with a radius', () => {
    const parsed = geofencesFromGeoJson({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: 'Square' },
          id: 'sq',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [24.9, 60.1],
                [25.0, 60.1],
                [25.0, 60.2],
                [24.9, 60.2],
              ],
              [
                [24.94, 60.14],
                [24.96, 60.14],
                [24.96, 60.16],
                [24.94, 60.16],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: { name: 'Dot', radius: 100 },
          geometry: { type: 'Point', coordinates: [24.5, 60.5] },
        },
      ],
    });
    if (!parsed.ok) throw new Error(parsed.problems.join());
    const tracker = new GeofenceTracker(parsed.geofences);
    expect(tracker.evaluate(position({ lon: 24.92, lat: 60.12 })).map((e) => e.geofenceId)).toEqual(['sq']);
    expect(tracker.evaluate(position({ lon: 24.95, lat: 60.15 })).map((e) => e.kind)).toEqual(['exit']);
    expect(tracker.evaluate(position({ lon: 24.5, lat: 60.5005 })).map((e) => e.geofenceName)).toEqual([
      'Dot',
    ]);
  });

  it('state: a bad geofence file reports every problem', () => {
    const parsed = geofencesFromGeoJson({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [24.5, 60.5] } }],
    });
    expect(parsed).toEqual({ ok: false, problems: [expect.stringContaining('radius')] });
    const bad = geofencesFromGeoJson({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0]]] } }],
    });
    expect(bad.ok).toBe(false);
  });
});
