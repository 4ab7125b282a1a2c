import { describe, expect, it } from 'vitest';
import { VehicleStore } from '../../src/live/vehicle-store.ts';
import { MODE_COLORS, STALE_COLOR } from '../../src/map/mode-colors.ts';
import {
  FLAG_DOORS,
  FLAG_FAVOURITE,
  FLAG_HEADING,
  FLAG_SELECTED,
  type InstanceOptions,
  type LabelLookup,
  mercatorX,
  mercatorY,
  STALE_ALPHA,
  STYLE_FLOATS,
  VehicleInstances,
} from '../../src/map/vehicle-instances.ts';
import { vehicle } from '../support/vehicle.ts';

const base: InstanceOptions = { modes: [], routes: [], favourites: [], live: true, selectedId: null };
const labels: LabelLookup = { rect: (text) => ({ u: 0.5, v: 0.25, width: text.length * 6, height: 16 }) };

function storeWith() {
  const store = new VehicleStore();
  store.applySnapshot(
    [
      vehicle({ vehicleId: 'bus1', mode: 'bus', routeId: '1064', heading: 90, doorsOpen: true }),
      vehicle({ vehicleId: 'tram1', mode: 'tram', routeId: '1004', line: '4', heading: null, lon: 24.95 }),
    ],
    0,
  );
  return store;
}

function slot(inst: VehicleInstances, id: string): number {
  for (let i = 0; i < inst.count; i++) if (inst.idAt(i) === id) return i;
  return -1;
}

describe('vehicle instances', () => {
  it('vehicle instances: one slot per vehicle with colour, heading, doors and label', () => {
    const inst = new VehicleInstances();
    inst.rebuild(storeWith(), base, labels);
    expect(inst.count).toBe(2);
    const bus = slot(inst, 'bus1') * STYLE_FLOATS;
    expect(inst.colorAt(slot(inst, 'bus1'))).toBe(MODE_COLORS.bus);
    expect(inst.style[bus + 4]).toBeCloseTo(Math.PI / 2, 5);
    expect(inst.style[bus + 5]).toBe(FLAG_DOORS | FLAG_HEADING);
    expect(inst.style[bus + 8]).toBe(12); // label "64" from the lookup
    const tram = slot(inst, 'tram1');
    expect(inst.colorAt(tram)).toBe(MODE_COLORS.tram);
    expect(inst.style[tram * STYLE_FLOATS + 5]).toBe(0);
    expect(
      inst
        .rendered()
        .map((r) => r.id)
        .sort(),
    ).toEqual(['bus1', 'tram1']);
  });

  it('vehicle instances: positions are mercator offsets from the origin, lon/lat kept for hit-tests', () => {
    const inst = new VehicleInstances();
    inst.rebuild(storeWith(), base, labels);
    const ox = mercatorX(24.94);
    const oy = mercatorY(60.17);
    inst.updatePositions(10, ox, oy);
    const tram = slot(inst, 'tram1');
    expect(inst.offsets[2 * tram]).toBeCloseTo(mercatorX(24.95) - ox, 9);
    expect(inst.offsets[2 * slot(inst, 'bus1')]).toBe(0);
    expect(inst.rendered().find((r) => r.id === 'tram1')).toMatchObject({ lon: 24.95, lat: 60.17 });
  });

  it('vehicle instances: filters apply, but the selected vehicle is always drawn, last (on top)', () => {
    const inst = new VehicleInstances();
    inst.rebuild(storeWith(), { ...base, modes: ['tram'] }, labels);
    expect(inst.rendered().map((r) => r.id)).toEqual(['tram1']);
    inst.rebuild(storeWith(), { ...base, routes: ['1004'], selectedId: 'bus1' }, labels);
    expect(inst.rendered().map((r) => r.id)).toEqual(['tram1', 'bus1']);
    expect((inst.style[1 * STYLE_FLOATS + 5] ?? 0) & FLAG_SELECTED).toBe(FLAG_SELECTED);
  });

  it('vehicle instances: disconnected draws everything grey and faded; favourites are flagged', () => {
    const inst = new VehicleInstances();
    inst.rebuild(storeWith(), { ...base, live: false, favourites: ['1064'] }, labels);
    for (const r of inst.rendered()) expect(r).toMatchObject({ color: STALE_COLOR, stale: true });
    expect(inst.style[3]).toBeCloseTo(STALE_ALPHA, 5);
    const bus = slot(inst, 'bus1');
    expect((inst.style[bus * STYLE_FLOATS + 5] ?? 0) & FLAG_FAVOURITE).toBe(FLAG_FAVOURITE);
  });

  it('vehicle instances: a repaint is due only after a visible change or a move', () => {
    const store = storeWith();
    const inst = new VehicleInstances();
    inst.rebuild(store, base, labels);
    inst.updatePositions(0, 0.5, 0.5);
    expect(inst.changed).toBe(true);
    inst.markPainted();
    // The same vehicles, same style: nothing to draw.
    inst.rebuild(store, base, labels);
    inst.updatePositions(0, 0.5, 0.5);
    expect(inst.changed).toBe(false);
    expect(inst.maxShiftSincePaint()).toBe(0);
    // A new position slides the vehicle: the shift grows with time.
    store.applyBatch(
      [vehicle({ vehicleId: 'bus1', lon: 24.941, eventTime: 2_000, heading: 90, doorsOpen: true })],
      [],
      1_000,
    );
    inst.rebuild(store, base, labels);
    inst.updatePositions(1_500, 0.5, 0.5);
    expect(inst.maxShiftSincePaint()).toBeGreaterThan(0);
  });
});
