import type { GeofenceEvent } from '@realtimemap/shared';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { GeofenceTracker } from '../../src/state/geofence-tracker.ts';
import { DEFAULT_GEOFENCES } from '../../src/state/geofences.ts';
import { buildStateService, type StateService } from '../../src/state/state-service.ts';
import { VehicleStore } from '../../src/state/vehicle-store.ts';
import { createMemoryBroker } from '../../src/transport/backends/memory/index.ts';
import type { Broker } from '../../src/transport/broker.ts';
import { waitUntil } from '../gateway/harness.ts';
import { position } from '../support/position-fixture.ts';

let broker: Broker | undefined;
let service: StateService | undefined;
afterEach(async () => {
  await service?.stop();
  await broker?.close();
});

describe('state: service', () => {
  it('state: positions from the broker reach the store; geofence enter/exit go out on the topic', async () => {
    let now = 1_000;
    const clock = () => now;
    broker = createMemoryBroker();
    await broker.connect();
    const store = new VehicleStore({
      clock,
      staleMs: 60_000,
      removeMs: 180_000,
      trail: { maxLength: 10, maxAgeMs: 600_000 },
    });
    service = buildStateService({
      broker,
      store,
      tracker: new GeofenceTracker(DEFAULT_GEOFENCES),
      logger: pino({ level: 'silent' }),
      positionsTopic: 'positions-test',
      geofenceTopic: 'geofence-test',
      evaluateGeofences: true,
      sweepIntervalMs: 10,
      clock,
    });
    const events: GeofenceEvent[] = [];
    await broker.subscribe<GeofenceEvent>('geofence-test', (m) => {
      events.push(m.value);
    });
    await service.start();
    await broker.publish('positions-test', position({ lat: 60.1826, lon: 24.95359, eventTime: 5 }), {
      key: '0022/01216',
    });
    await waitUntil(() => events.length > 0, 'an enter event');
    expect(store.get('0022/01216')?.lat).toBe(60.1826);
    expect(events).toEqual([
      expect.objectContaining({ kind: 'enter', geofenceId: 'kallio', vehicleId: '0022/01216' }),
    ]);
    // Silent for the remove threshold: removed, and it exits Kallio.
    now += 180_000;
    await waitUntil(() => events.length > 1, 'an exit event');
    expect(store.get('0022/01216')).toBeUndefined();
    expect(events[1]).toMatchObject({ kind: 'exit', geofenceId: 'kallio', time: now });
    expect(service.stats()).toMatchObject({ applied: 1, geofenceEvents: 2 });
  });
});
