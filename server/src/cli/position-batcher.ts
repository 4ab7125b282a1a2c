/**
 * The ingest's publisher across processes: positions go to the broker in batches (one message holds
 * a JSON array of positions) instead of one message each. A message costs the broker client far more
 * than a position costs JSON (headers, ids, record framing, per-message handling on every consumer),
 * so batching is what lets one topic carry tens of thousands of positions a second on a small
 * machine. Consumers accept both shapes (`state-service.ts`), so single-position producers still work.
 *
 * Order per vehicle holds: a vehicle always lands in the same shard (hash of its id), a shard's
 * batches carry the shard as their key, and the backends keep per-key order. Each position's
 * publish() resolves (or rejects) with its batch's, so at-least-once and backpressure are unchanged.
 * Other topics pass straight through.
 *
 * Batches are encoded with `positionsCodec` (state/positions-codec.ts: compact records, several times
 * cheaper to decode than JSON); the state service's subscriptions decode it, and JSON still.
 */
import { positionsCodec } from '../state/positions-codec.ts';
import type { Broker, PublishOptions } from '../transport/broker.ts';
import type { Codec } from '../transport/codec.ts';

export interface PositionBatcherOptions {
  /** The topic whose messages are batched. */
  readonly topic: string;
  /** Batches per topic in flight at once, one per shard (default 6). */
  readonly shards?: number;
  /** Longest a position waits for its batch to fill (default 10 ms). */
  readonly lingerMs?: number;
  /** Most positions in one message (default 500). */
  readonly maxPositions?: number;
  /** The batches' codec (default positionsCodec). */
  readonly codec?: Codec;
}

interface Shard {
  values: unknown[];
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
  timer: NodeJS.Timeout | undefined;
}

/** FNV-1a: a stable, cheap spread of vehicle ids over shards. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function batchingBroker(broker: Broker, options: PositionBatcherOptions): Broker {
  const shardCount = options.shards ?? 6;
  const lingerMs = options.lingerMs ?? 10;
  const max = options.maxPositions ?? 500;
  const codec = options.codec ?? positionsCodec;
  const shards: Shard[] = Array.from({ length: shardCount }, () => ({
    values: [],
    waiters: [],
    timer: undefined,
  }));

  const flush = (index: number): void => {
    const shard = shards[index]!;
    if (shard.timer) clearTimeout(shard.timer);
    shard.timer = undefined;
    if (shard.values.length === 0) return;
    const { values, waiters } = shard;
    shard.values = [];
    shard.waiters = [];
    broker.publish(options.topic, values, { key: `shard-${index}`, codec }).then(
      () => {
        for (const w of waiters) w.resolve();
      },
      (error: unknown) => {
        for (const w of waiters) w.reject(error);
      },
    );
  };

  const publish = <T>(topic: string, value: T, publishOptions?: PublishOptions): Promise<void> => {
    if (topic !== options.topic) return broker.publish(topic, value, publishOptions);
    const index = hash(publishOptions?.key ?? '') % shardCount;
    const shard = shards[index]!;
    return new Promise<void>((resolve, reject) => {
      shard.values.push(value);
      shard.waiters.push({ resolve, reject });
      if (shard.values.length >= max) flush(index);
      else shard.timer ??= setTimeout(() => flush(index), lingerMs);
    });
  };

  return {
    name: broker.name,
    capabilities: broker.capabilities,
    get status() {
      return broker.status;
    },
    onStatus: (listener) => broker.onStatus(listener),
    connect: () => broker.connect(),
    publish,
    subscribe: (topic, handler, subscribeOptions) => broker.subscribe(topic, handler, subscribeOptions),
    close: async (closeOptions) => {
      // What is waiting for its batch goes out before the broker drains.
      for (let i = 0; i < shardCount; i++) flush(i);
      await broker.close(closeOptions);
    },
    native: () => broker.native(),
  };
}
