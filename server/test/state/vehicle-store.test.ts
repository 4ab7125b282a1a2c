import { describe, expect, it } from 'vitest';
import { VehicleStore } from '../../src/state/vehicle-store.ts';
import { position } from '../support/position-fixture.ts';

function setup(over: { trailLength?: number; maxAgeMs?: number } = {}) {
  let now = 10_000;
  const store = new VehicleStore({
    clock: () => now,
    staleMs: 60_000,
    removeMs: 180_000,
    trail: { maxLength: over.trailLength ?? 200, maxAgeMs: over.maxAgeMs ?? 600_000 },
  });
  const changes: string[] = [];
  store.onChange((id, kind) => changes.push(`${kind}:${id}`));
  return { store, changes, advance: (ms: number) => (now += ms) };
}

describe('state: vehicle store', () => {
  it('state: latest position moves only for newer event times', () => {
    const { store } = setup();
    expect(store.apply(position({ eventTime: 2000, lat: 60.2 }))).toBe('created');
    expect(store.apply(position({ eventTime: 1000, lat: 60.1, outOfOrder: true }))).toBe('trail-only');
    expect(store.get('0022/01216')?.lat).toBe(60.2);
    expect(store.apply(position({ eventTime: 3000, lat: 60.3 }))).toBe('updated');
    expect(store.get('0022/01216')?.lat).toBe(60.3);
    expect(store.get('0022/01216')).not.toHaveProperty('outOfOrder');
  });

  it('state: late positions are inserted in time order in the trail; duplicates are ignored', () => {
    const { store } = setup();
    for (const t of [1000, 3000, 4000]) store.apply(position({ eventTime: t }));
    store.apply(position({ eventTime: 2000, outOfOrder: true }));
    expect(store.apply(position({ eventTime: 3000 }))).toBe('duplicate');
    expect(store.trail('0022/01216')!.map((p) => p.t)).toEqual([1000, 2000, 3000, 4000]);
  });

  it('state: the trail is bounded by length and by age behind the newest point', () => {
    const { store } = setup({ trailLength: 3, maxAgeMs: 10_000 });
    for (const t of [1000, 2000, 3000, 4000, 5000]) store.apply(position({ eventTime: t }));
    expect(store.trail('0022/01216')!.map((p) => p.t)).toEqual([3000, 4000, 5000]);
    store.apply(position({ eventTime: 14_500 }));
    expect(store.trail('0022/01216')!.map((p) => p.t)).toEqual([5000, 14_500]);
    store.apply(position({ eventTime: 100, outOfOrder: true }));
    expect(store.trail('0022/01216')!.map((p) => p.t)).toEqual([5000, 14_500]);
  });

  it('state: silent vehicles turn stale, then are removed, and listeners hear both', () => {
    const { store, changes, advance } = setup();
    store.apply(position());
    store.apply(position({ vehicleId: '0012/00001', operatorId: '0012', vehicleNumber: '00001' }));
    advance(59_000);
    store.apply(
      position({ vehicleId: '0012/00001', operatorId: '0012', vehicleNumber: '00001', eventTime: 2_000_000 }),
    );
    expect(store.sweep()).toEqual({ stale: [], removed: [] });
    advance(1000);
    expect(store.sweep()).toEqual({ stale: ['0022/01216'], removed: [] });
    expect(store.get('0022/01216')?.stale).toBe(true);
    store.sweep();
    advance(120_000);
    expect(store.sweep().removed).toEqual(['0022/01216']);
    expect(store.get('0022/01216')).toBeUndefined();
    expect(changes.filter((c) => c.endsWith('0022/01216'))).toEqual([
      'update:0022/01216',
      'update:0022/01216',
      'remove:0022/01216',
    ]);
  });

  it('state: a stale vehicle heard again is fresh', () => {
    const { store, advance } = setup();
    store.apply(position());
    advance(70_000);
    store.sweep();
    store.apply(position({ eventTime: 2_000_000 }));
    expect(store.get('0022/01216')?.stale).toBe(false);
    expect(store.get('0022/01216')?.lastSeen).toBe(80_000);
  });

  it('state: a position rebuilt from history counts its silence from when it was seen, not from now', () => {
    const { store } = setup();
    // now = 10_000; seen 70 s earlier by the broker: already past staleMs (60 s).
    store.apply(position({ eventTime: 1000 }), 10_000 - 70_000);
    expect(store.get('0022/01216')?.lastSeen).toBe(-60_000);
    expect(store.sweep().stale).toEqual(['0022/01216']);
    // A seenAt in the future is clamped to now.
    store.apply(position({ eventTime: 2000 }), 99_999);
    expect(store.get('0022/01216')?.lastSeen).toBe(10_000);
  });
});
