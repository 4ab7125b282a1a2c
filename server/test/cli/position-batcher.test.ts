import type { VehiclePosition } from '@realtimemap/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { batchingBroker } from '../../src/cli/position-batcher.ts';
import { positionsCodec } from '../../src/state/positions-codec.ts';
import { createMemoryBroker } from '../../src/transport/backends/memory/index.ts';
import type { Broker } from '../../src/transport/broker.ts';
import type { Codec } from '../../src/transport/codec.ts';
import { position } from '../support/position-fixture.ts';

let broker: Broker | undefined;
afterEach(async () => {
  await broker?.close();
});

describe('cli: position batcher', () => {
  it('cli: positions go out as batches, every one once, in order per vehicle', async () => {
    const inner = createMemoryBroker();
    broker = batchingBroker(inner, { topic: 'positions', lingerMs: 5, maxPositions: 100 });
    await broker.connect();
    const messages: VehiclePosition[][] = [];
    // Batches travel in the positions codec, which the state service's subscriptions name.
    await inner.subscribe<VehiclePosition[]>(
      'positions',
      (m) => {
        messages.push(m.value);
      },
      { codec: positionsCodec as Codec<VehiclePosition[]> },
    );
    const publishes: Promise<void>[] = [];
    for (let t = 1; t <= 40; t++) {
      for (let v = 0; v < 25; v++) {
        const vehicleId = `0022/0${v}`;
        publishes.push(
          broker.publish('positions', position({ vehicleId, eventTime: t }), { key: vehicleId }),
        );
      }
    }
    await Promise.all(publishes);
    // publish() resolved: each position's batch was taken (memory: queued for the subscriber).
    await new Promise((r) => setTimeout(r, 50));
    const all = messages.flat();
    expect(all.length).toBe(1000);
    expect(messages.length).toBeLessThan(100);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(100);
    for (let v = 0; v < 25; v++) {
      const times = all.filter((p) => p.vehicleId === `0022/0${v}`).map((p) => p.eventTime);
      expect(times).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    }
  });

  it('cli: other topics pass straight through; close sends what waits for its batch', async () => {
    const inner = createMemoryBroker();
    broker = batchingBroker(inner, { topic: 'positions', lingerMs: 60_000 });
    await broker.connect();
    const other: unknown[] = [];
    const batches: unknown[][] = [];
    await inner.subscribe('other', (m) => {
      other.push(m.value);
    });
    await inner.subscribe<unknown[]>(
      'positions',
      (m) => {
        batches.push(m.value);
      },
      { codec: positionsCodec as Codec<unknown[]> },
    );
    await broker.publish('other', { a: 1 });
    expect(other).toEqual([{ a: 1 }]);
    const waiting = broker.publish('positions', position(), { key: '0022/01216' });
    await broker.close();
    await waiting;
    expect(batches.flat()).toHaveLength(1);
  });
});
