import { describe, expect, it } from 'vitest';
import { VehicleStore } from '../../src/live/vehicle-store.ts';
import { MODE_COLORS, STALE_COLOR } from '../../src/map/mode-colors.ts';
import {
  buildVehicleFeatures,
  type FeatureOptions,
  type RenderedVehicle,
} from '../../src/map/vehicle-features.ts';
import { vehicle } from '../support/vehicle.ts';

const base: FeatureOptions = { now: 0, modes: [], routes: [], favourites: [], live: true, selectedId: null };

function storeWith() {
  const store = new VehicleStore();
  store.applySnapshot(
    [
      vehicle({ vehicleId: 'bus1', mode: 'bus', routeId: '1064', heading: 45, doorsOpen: true }),
      vehicle({ vehicleId: 'tram1', mode: 'tram', routeId: '1004', line: '4', heading: null }),
    ],
    0,
  );
  return store;
}

describe('vehicle features', () => {
  it('vehicle features: one point per vehicle, coloured by mode, rotated by heading, with doors and label', () => {
    const rendered: RenderedVehicle[] = [];
    const fc = buildVehicleFeatures(storeWith(), base, rendered);
    expect(fc.features).toHaveLength(2);
    const bus = fc.features.find((f) => f.properties?.id === 'bus1');
    expect(bus?.properties).toMatchObject({
      color: MODE_COLORS.bus,
      icon: `veh:${MODE_COLORS.bus}:1`,
      heading: 45,
      doors: true,
      label: 'lbl:64',
    });
    const tram = fc.features.find((f) => f.properties?.id === 'tram1');
    expect(tram?.properties?.icon).toBe(`veh:${MODE_COLORS.tram}:0`);
    expect(rendered.map((r) => r.id).sort()).toEqual(['bus1', 'tram1']);
  });

  it('vehicle features: filters apply, but the selected vehicle is always drawn', () => {
    const rendered: RenderedVehicle[] = [];
    const fc = buildVehicleFeatures(storeWith(), { ...base, modes: ['tram'] }, rendered);
    expect(fc.features.map((f) => f.properties?.id)).toEqual(['tram1']);
    const withSelected = buildVehicleFeatures(
      storeWith(),
      { ...base, routes: ['1004'], selectedId: 'bus1' },
      rendered,
    );
    expect(withSelected.features.map((f) => f.properties?.id).sort()).toEqual(['bus1', 'tram1']);
  });

  it('vehicle features: disconnected draws everything grey and stale; favourites are flagged', () => {
    const fc = buildVehicleFeatures(storeWith(), { ...base, live: false, favourites: ['1064'] }, []);
    for (const f of fc.features) {
      expect(f.properties?.color).toBe(STALE_COLOR);
      expect(f.properties?.stale).toBe(true);
    }
    expect(fc.features.find((f) => f.properties?.id === 'bus1')?.properties?.fav).toBe(true);
  });
});
