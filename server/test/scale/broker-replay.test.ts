/**
 * Replay through the broker layer on real servers (what a gateway rebuilds its state with): a
 * subscription `from` a past time gets the history stored since then, `caughtUp` resolves once it
 * has been handled, and live messages follow. Then the state service on top: a store rebuilt with
 * trails before `ready()`.
 */
import type { VehiclePosition } from '@realtimemap/shared';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { GeofenceTracker } from '../../src/state/geofence-tracker.ts';
import { buildStateService, type StateService } from '../../src/state/state-service.ts';
import { VehicleStore } from '../../src/state/vehicle-store.ts';
import type { Broker } from '../../src/transport/broker.ts';
import { type BackendName, createBroker } from '../../src/transport/create-broker.ts';
import { position } from '../support/position-fixture.ts';
import { service } from '../support/service.ts';
import { waitUntil } from './support/role-process.ts';
import { deleteTopics } from './support/topic-history.ts';

const kafka = await service('kafka', 9092);
const nats = await service('nats', 4222);
const redis = await service('redis', 6379);

describeReplay('kafka', '127.0.0.1:9092', kafka.up, kafka.reason);
describeReplay('nats', 'nats://127.0.0.1:4222', nats.up, nats.reason);
describeReplay('redis', 'redis://127.0.0.1:6379', redis.up, redis.reason);

function describeReplay(backend: BackendName, url: string, up: boolean, reason: string): void {
  describe.skipIf(!up)(`scale: replay on ${backend}${reason}`, () => {
    const brokers: Broker[] = [];
    const topics: string[] = [];
    let state: StateService | undefined;
    const open = async () => {
      const b = await createBroker({ backend, url });
      await b.connect();
      brokers.push(b);
      return b;
    };
    const newTopic = () => {
      const t = `replay-${backend}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
      topics.push(t);
      return t;
    };
    afterEach(async () => {
      await state?.stop();
      state = undefined;
      for (const b of brokers.splice(0)) await b.close();
      await deleteTopics(backend, url, topics.splice(0));
    }, 60_000);

    it(`${backend}: from a past time: the history since then, caughtUp, then live messages`, async () => {
      const b = await open();
      expect(b.capabilities.replay).toBe(true);
      const topic = newTopic();
      await b.publish(topic, { n: 0 }, { key: 'k' });
      await new Promise((r) => setTimeout(r, 50));
      const since = Date.now();
      await new Promise((r) => setTimeout(r, 50));
      for (let n = 1; n <= 20; n++) await b.publish(topic, { n }, { key: `k${n % 4}` });
      const seen: number[] = [];
      const sub = await b.subscribe<{ n: number }>(
        topic,
        (m) => {
          seen.push(m.value.n);
        },
        { from: { time: since } },
      );
      expect(sub.caughtUp).toBeDefined();
      await sub.caughtUp;
      // Everything stored since `since` is handled by then; nothing from before it.
      expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      await b.publish(topic, { n: 21 }, { key: 'k1' });
      await waitUntil(() => seen.includes(21), 'a live message after the history');
      await sub.close();
    }, 60_000);

    it(`${backend}: from a time after everything stored: caught up at once`, async () => {
      const b = await open();
      const topic = newTopic();
      await b.publish(topic, { n: 1 }, { key: 'k' });
      const seen: number[] = [];
      const sub = await b.subscribe<{ n: number }>(topic, (m) => void seen.push(m.value.n), {
        from: { time: Date.now() + 60_000 },
      });
      await sub.caughtUp;
      expect(seen).toEqual([]);
      await sub.close();
    }, 60_000);

    it(`${backend}: state: a started service rebuilds latest positions and trails before ready()`, async () => {
      const b = await open();
      const positions = newTopic();
      const vehicles = ['0022/00001', '0022/00002', '0022/00003'];
      const t0 = Date.now();
      for (let i = 0; i < 5; i++) {
        for (const vehicleId of vehicles) {
          const p: VehiclePosition = position({
            vehicleId,
            eventTime: t0 + i * 1000,
            lat: 60.17 + i * 0.001,
          });
          await b.publish(positions, p, { key: vehicleId });
        }
      }
      const store = new VehicleStore({
        clock: Date.now,
        staleMs: 60_000,
        removeMs: 180_000,
        trail: { maxLength: 100, maxAgeMs: 600_000 },
      });
      state = buildStateService({
        broker: b,
        store,
        tracker: new GeofenceTracker([]),
        logger: pino({ level: 'silent' }),
        positionsTopic: positions,
        geofenceTopic: `${positions}-geofences`,
        evaluateGeofences: true,
        geofenceGroup: 'geofence',
        rebuildMs: 60_000,
        clock: Date.now,
      });
      await state.start();
      await waitUntil(() => state!.ready(), 'ready after the rebuild');
      expect(store.size).toBe(3);
      for (const id of vehicles) {
        expect(store.trail(id)?.map((p) => p.t)).toEqual([0, 1, 2, 3, 4].map((i) => t0 + i * 1000));
        expect(store.get(id)?.lat).toBeCloseTo(60.174);
      }
      expect(state.stats().rebuilt).toBe(15);
    }, 60_000);
  });
}
