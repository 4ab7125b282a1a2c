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
const others: StateService[] = [];
afterEach(async () => {
  await service?.stop();
  for (const s of others.splice(0)) await s.stop();
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

  it('state: two gateways in a geofence group: each event is published once, both hold the position', async () => {
    const clock = () => 1_000;
    broker = createMemoryBroker();
    await broker.connect();
    const gateway = () => {
      const store = new VehicleStore({
        clock,
        staleMs: 60_000,
        removeMs: 180_000,
        trail: { maxLength: 10, maxAgeMs: 600_000 },
      });
      const s = buildStateService({
        broker: broker!,
        store,
        tracker: new GeofenceTracker(DEFAULT_GEOFENCES),
        logger: pino({ level: 'silent' }),
        positionsTopic: 'positions-group',
        geofenceTopic: 'geofence-group',
        evaluateGeofences: true,
        geofenceGroup: 'geofence',
        clock,
      });
      others.push(s);
      return { s, store };
    };
    const [a, b] = [gateway(), gateway()];
    const events: GeofenceEvent[] = [];
    await broker.subscribe<GeofenceEvent>('geofence-group', (m) => {
      events.push(m.value);
    });
    await a.s.start();
    await b.s.start();
    expect(a.s.ready() && b.s.ready()).toBe(true);
    // Ten vehicles in and out of Kallio: 20 events in all.
    for (let i = 0; i < 10; i++) {
      const vehicleId = `0022/0${i}`;
      await broker.publish(
        'positions-group',
        position({ vehicleId, lat: 60.1826, lon: 24.95359, eventTime: 5 }),
        {
          key: vehicleId,
        },
      );
      await broker.publish('positions-group', position({ vehicleId, lat: 60.25, lon: 25.1, eventTime: 6 }), {
        key: vehicleId,
      });
    }
    await waitUntil(() => events.length >= 20, 'twenty events');
    await new Promise((r) => setTimeout(r, 100));
    const keys = events.map((e) => `${e.vehicleId} ${e.kind}`);
    expect(new Set(keys).size).toBe(20);
    expect(keys.length).toBe(20);
    // Both members published some: the group spread the positions.
    expect(a.s.stats().geofenceEvents).toBeGreaterThan(0);
    expect(b.s.stats().geofenceEvents).toBeGreaterThan(0);
    expect(a.store.size).toBe(10);
    expect(b.store.size).toBe(10);
  });

  it('state: a gateway whose geofence group join fails is ready, retries, and then publishes events', async () => {
    const clock = () => 1_000;
    const memory = createMemoryBroker();
    broker = memory;
    await memory.connect();
    // The broker refuses the first two group joins (as a Kafka group coordinator that is away would).
    let refused = 0;
    const flaky: Broker = {
      ...memory,
      name: memory.name,
      capabilities: memory.capabilities,
      status: memory.status,
      onStatus: (l) => memory.onStatus(l),
      connect: () => memory.connect(),
      publish: (t, v, o) => memory.publish(t, v, o),
      close: (o) => memory.close(o),
      native: () => memory.native(),
      subscribe: (topic, handler, options) => {
        if (options?.group && refused < 2) {
          refused++;
          return Promise.reject(new Error('group coordinator not available'));
        }
        return memory.subscribe(topic, handler, options);
      },
    };
    const store = new VehicleStore({
      clock,
      staleMs: 60_000,
      removeMs: 180_000,
      trail: { maxLength: 10, maxAgeMs: 600_000 },
    });
    service = buildStateService({
      broker: flaky,
      store,
      tracker: new GeofenceTracker(DEFAULT_GEOFENCES),
      logger: pino({ level: 'silent' }),
      positionsTopic: 'positions-flaky',
      geofenceTopic: 'geofence-flaky',
      evaluateGeofences: true,
      geofenceGroup: 'geofence',
      groupRetryMs: 10,
      clock,
    });
    const events: GeofenceEvent[] = [];
    await memory.subscribe<GeofenceEvent>('geofence-flaky', (m) => {
      events.push(m.value);
    });
    await service.start();
    expect(service.ready()).toBe(true);
    await waitUntil(() => service!.stats().geofenceGroupJoined, 'the group joined on a retry', 20_000);
    expect(service.stats().geofenceGroupFailures).toBe(2);
    await memory.publish('positions-flaky', position({ lat: 60.1826, lon: 24.95359, eventTime: 5 }), {
      key: '0022/01216',
    });
    await waitUntil(() => events.length > 0, 'an enter event from the group member', 20_000);
    expect(events[0]).toMatchObject({ kind: 'enter', geofenceId: 'kallio' });
  });
});
