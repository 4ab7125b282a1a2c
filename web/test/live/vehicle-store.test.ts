import { describe, expect, it } from 'vitest';
import { MessageBuffer } from '../../src/live/message-buffer.ts';
import { VehicleStore } from '../../src/live/vehicle-store.ts';
import { vehicle } from '../support/vehicle.ts';

describe('vehicle store', () => {
  it('vehicle store: a snapshot replaces the set, keeping tracks of vehicles still there', () => {
    const store = new VehicleStore();
    store.applySnapshot([vehicle({ vehicleId: 'a' }), vehicle({ vehicleId: 'b' })], 0);
    store.applySnapshot(
      [vehicle({ vehicleId: 'b', lon: 24.941, eventTime: 2_000 }), vehicle({ vehicleId: 'c' })],
      1_000,
    );
    expect([...store.vehicles.keys()].sort()).toEqual(['b', 'c']);
    // b slides from where it was drawn to its new position.
    expect(store.drawnPosition('b', 1_000)?.lon).toBe(24.94);
    expect(store.drawnPosition('b', 5_000)?.lon).toBe(24.941);
  });

  it('vehicle store: a batch updates and removes, and bumps the version', () => {
    const store = new VehicleStore();
    store.applySnapshot([vehicle({ vehicleId: 'a' }), vehicle({ vehicleId: 'b' })], 0);
    const v = store.version;
    store.applyBatch([vehicle({ vehicleId: 'a', speed: 3, eventTime: 2_000 })], ['b'], 100);
    expect(store.version).toBeGreaterThan(v);
    expect(store.get('a')?.state.speed).toBe(3);
    expect(store.get('b')).toBeUndefined();
    expect(store.lastChangeAt).toBe(100);
  });

  it('vehicle store: an older event never moves a vehicle back', () => {
    const store = new VehicleStore();
    store.applyBatch([vehicle({ vehicleId: 'a', lon: 24.95, eventTime: 5_000 })], [], 0);
    store.applyBatch([vehicle({ vehicleId: 'a', lon: 24.94, eventTime: 4_000 })], [], 10);
    expect(store.get('a')?.state.lon).toBe(24.95);
  });

  it('vehicle store: listeners hear every applied state', () => {
    const store = new VehicleStore();
    const heard: string[] = [];
    const off = store.onUpdate((s) => heard.push(s.vehicleId));
    store.applyBatch([vehicle({ vehicleId: 'a' }), vehicle({ vehicleId: 'b' })], [], 0);
    off();
    store.applyBatch([vehicle({ vehicleId: 'c' })], [], 0);
    expect(heard).toEqual(['a', 'b']);
  });

  it('message buffer: applies queued batches in order on flush and counts updates', () => {
    const store = new VehicleStore();
    const buffer = new MessageBuffer();
    buffer.push({
      type: 'batch',
      serverTime: 0,
      updates: [vehicle({ vehicleId: 'a', eventTime: 1 })],
      removed: [],
    });
    buffer.push({
      type: 'batch',
      serverTime: 0,
      updates: [vehicle({ vehicleId: 'b', eventTime: 1 })],
      removed: ['a'],
    });
    expect(store.vehicles.size).toBe(0);
    expect(buffer.flush(store, 0)).toBe(2);
    expect([...store.vehicles.keys()]).toEqual(['b']);
    expect(buffer.flush(store, 0)).toBe(0);
  });

  it('message buffer: a snapshot discards what was queued before it', () => {
    const store = new VehicleStore();
    const buffer = new MessageBuffer();
    buffer.push({ type: 'batch', serverTime: 0, updates: [vehicle({ vehicleId: 'old' })], removed: [] });
    buffer.push({ type: 'snapshot', serverTime: 0, vehicles: [vehicle({ vehicleId: 'new' })] });
    expect(buffer.size).toBe(1);
    buffer.flush(store, 0);
    expect([...store.vehicles.keys()]).toEqual(['new']);
  });
});
