/** The Kafka backend's publish coalescing, partitioning and record mapping: pure, no server. */
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { retryFor } from '../../../src/transport/backends/kafka/kafka-client.ts';
import { fromKafkaHeaders, toKafkaRecord } from '../../../src/transport/backends/kafka/kafka-record.ts';
import { ProduceBatcher } from '../../../src/transport/backends/kafka/produce-batcher.ts';
import { stickyPartitioner } from '../../../src/transport/backends/kafka/sticky-partitioner.ts';
import { gate } from '../conformance/support.ts';

type Sent = [string, number[]][];

function recorder(options = { lingerMs: 1, maxBatchMessages: 100, maxBatchBytes: 1_000_000 }) {
  const sent: Sent[] = [];
  const holds: ReturnType<typeof gate>[] = [];
  let hold = false;
  const batcher = new ProduceBatcher<number>(async (batch) => {
    sent.push([...batch]);
    if (hold) {
      const g = gate();
      holds.push(g);
      await g.promise;
    }
  }, options);
  return { batcher, sent, holds, setHold: (v: boolean) => (hold = v) };
}

describe('kafka produce batcher', () => {
  it('kafka batcher: publishes in the same linger window share one request, grouped by topic', async () => {
    const { batcher, sent } = recorder();
    await Promise.all([batcher.add('a', 1, 1), batcher.add('b', 2, 1), batcher.add('a', 3, 1)]);
    expect(sent).toEqual([
      [
        ['a', [1, 3]],
        ['b', [2]],
      ],
    ]);
  });

  it('kafka batcher: what arrives while a request is in flight leaves together right after it', async () => {
    const { batcher, sent, holds, setHold } = recorder();
    setHold(true);
    const first = batcher.add('t', 1, 1);
    await new Promise((r) => setTimeout(r, 10));
    expect(sent).toHaveLength(1);
    const later = [batcher.add('t', 2, 1), batcher.add('t', 3, 1)];
    setHold(false);
    holds[0]!.open();
    await Promise.all([first, ...later]);
    expect(sent).toEqual([[['t', [1]]], [['t', [2, 3]]]]);
  });

  it('kafka batcher: a request never exceeds maxBatchMessages or maxBatchBytes (one big message goes alone)', async () => {
    const { batcher, sent } = recorder({ lingerMs: 1, maxBatchMessages: 2, maxBatchBytes: 100 });
    await Promise.all([
      batcher.add('t', 1, 1),
      batcher.add('t', 2, 1),
      batcher.add('t', 3, 1),
      batcher.add('t', 4, 500),
      batcher.add('t', 5, 60),
      batcher.add('t', 6, 60),
    ]);
    expect(sent.map((b) => b[0]![1])).toEqual([[1, 2], [3], [4], [5], [6]]);
  });

  it('kafka batcher: a failed request rejects its own publishes only', async () => {
    let calls = 0;
    const batcher = new ProduceBatcher<number>(
      async () => {
        if (++calls === 1) throw new Error('broker said no');
      },
      { lingerMs: 0, maxBatchMessages: 10, maxBatchBytes: 1_000 },
    );
    const first = batcher.add('t', 1, 1);
    const second = batcher.add('t', 2, 1); // queued behind the failing request
    await expect(first).rejects.toThrow('broker said no');
    await expect(second).resolves.toBeUndefined();
  });

  it('kafka batcher: flush resolves once everything queued was sent', async () => {
    const { batcher, sent } = recorder({ lingerMs: 10_000, maxBatchMessages: 100, maxBatchBytes: 1_000 });
    const p = batcher.add('t', 1, 1);
    await batcher.flush();
    expect(sent).toHaveLength(1);
    await p;
    expect(batcher.pending).toBe(0);
  });
});

describe('kafka record mapping', () => {
  it('kafka record: headers, key and bytes round trip; names lower-cased; repeated header keeps the last', () => {
    const raw = new Uint8Array([1, 2, 3]);
    const rec = toKafkaRecord(raw, { 'x-stop': 'Hämeentie' }, 'k');
    expect(rec.key).toBe('k');
    expect(Buffer.isBuffer(rec.value) && [...rec.value]).toEqual([1, 2, 3]);
    const back = fromKafkaHeaders({
      'X-Stop': Buffer.from('Hämeentie'),
      multi: [Buffer.from('a'), 'b'],
      gone: undefined,
    });
    expect(back).toEqual({ 'x-stop': 'Hämeentie', multi: 'b' });
    expect(toKafkaRecord(raw, {}, undefined).key).toBeNull();
  });

  it('kafka retry: the client keeps retrying at least as long as publishRetryMs', () => {
    const r = retryFor(30_000);
    let total = 0;
    for (let i = 0, d = r.initialRetryTime!; i < r.retries!; i++, d = Math.min(r.maxRetryTime!, d * 2))
      total += d;
    expect(total).toBeGreaterThanOrEqual(30_000);
  });
});

describe('kafka partitioner', () => {
  const meta: PartitionMetadata[] = [0, 1, 2].map((partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
  }));

  it('kafka partitioner: keyless messages stick to one partition, then move on after switchBytes', () => {
    const choose = stickyPartitioner(100)();
    const pick = () => choose({ topic: 't', partitionMetadata: meta, message: { value: Buffer.alloc(30) } });
    const first = [pick(), pick(), pick(), pick()]; // 4 x 30 bytes: the 4th is the one that passes 100
    expect(new Set(first).size).toBe(1);
    const later = Array.from({ length: 40 }, pick);
    expect(new Set(later).size).toBeGreaterThan(1);
  });

  it('kafka partitioner: a keyed message goes where the Java client would put it (murmur2)', () => {
    const choose = stickyPartitioner(100)();
    const reference = Partitioners.DefaultPartitioner();
    for (const key of ['0022/01216', '0012/00447', 'a', 'Hämeentie']) {
      const args = { topic: 't', partitionMetadata: meta, message: { key, value: 'x' } };
      expect(choose(args)).toBe(reference(args));
    }
  });
});
