/**
 * Kafka-specific behaviour on the real broker (127.0.0.1:9092): partitioning by key, offsets committed
 * only after the handler succeeded, a consumer group per fan-out subscription, compression. The
 * option/topic checks at the end need no server.
 */
import type { Kafka } from 'kafkajs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createKafkaBroker, type KafkaNativeMessage } from '../../../src/transport/backends/kafka/index.ts';
import type { Broker } from '../../../src/transport/broker.ts';
import type { Message } from '../../../src/transport/message.ts';
import { service } from '../../support/service.ts';
import { gate, randomTopic, waitFor } from '../conformance/support.ts';
import { deleteKafkaTestTopics, KAFKA_TEST_OPTIONS } from './kafka-support.ts';

const kafka = await service('kafka', 9092);

describe.skipIf(!kafka.up)(`kafka backend on a real broker${kafka.reason}`, () => {
  const open: Broker[] = [];
  const make = async (extra: Parameters<typeof createKafkaBroker>[0] = {}): Promise<Broker> => {
    const broker = createKafkaBroker({ ...KAFKA_TEST_OPTIONS, ...extra });
    open.push(broker);
    await broker.connect();
    return broker;
  };
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((b) => b.close({ deadlineMs: 5_000 })));
  });
  afterAll(() => deleteKafkaTestTopics('rtm.conf.kafka-'));

  /** Committed offsets of `groupId` on `topic`, partition -> next offset (-1 = none). */
  const committed = async (broker: Broker, groupId: string, topic: string): Promise<Map<number, number>> => {
    const admin = (broker.native() as Kafka).admin();
    await admin.connect();
    try {
      const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map((t?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    } finally {
      await admin.disconnect();
    }
  };

  const groups = async (broker: Broker): Promise<string[]> => {
    const admin = (broker.native() as Kafka).admin();
    await admin.connect();
    try {
      return (await admin.listGroups()).groups.map((g) => g.groupId);
    } finally {
      await admin.disconnect();
    }
  };

  it('kafka: the key picks the partition (same key, same partition; keys spread over partitions)', async () => {
    const broker = await make({ partitions: 4 });
    const topic = randomTopic('kafka-keys');
    const partitionsByKey = new Map<string, Set<number>>();
    let total = 0;
    await broker.subscribe<number>(
      topic,
      (m: Message<number>) => {
        const native = m.native as KafkaNativeMessage;
        const key = m.key!;
        partitionsByKey.set(key, (partitionsByKey.get(key) ?? new Set()).add(native.partition));
        total++;
      },
      { maxInFlight: 8 },
    );
    const keys = Array.from({ length: 16 }, (_, i) => `0022/0${1200 + i}`);
    await Promise.all(keys.flatMap((key) => [0, 1, 2].map((i) => broker.publish(topic, i, { key }))));
    await waitFor(() => total >= 48, `48 messages (have ${total})`);
    for (const key of keys) expect(partitionsByKey.get(key)?.size).toBe(1);
    const used = new Set([...partitionsByKey.values()].flatMap((s) => [...s]));
    expect(used.size).toBeGreaterThan(1);
  });

  it('kafka: offsets are committed only after the handler succeeded', async () => {
    const broker = await make({ partitions: 1 });
    const topic = randomTopic('kafka-commit');
    const hold = gate();
    const done: number[] = [];
    let blockedOn2 = false;
    const sub = await broker.subscribe<number>(
      topic,
      async (m) => {
        if (m.value === 2) {
          blockedOn2 = true;
          await hold.promise;
        }
        done.push(m.value);
      },
      { group: 'commit-check' },
    );
    for (let i = 0; i < 5; i++) await broker.publish(topic, i);
    const groupId = `commit-check:${topic}`;
    await waitFor(() => blockedOn2, 'the handler to hold message 2');
    // 0 and 1 finished: their progress is committed while 2 is still running (next offset = 2) ...
    let seen = -1;
    const deadline = Date.now() + 10_000;
    while (seen !== 2 && Date.now() < deadline) seen = (await committed(broker, groupId, topic)).get(0) ?? -1;
    expect(seen).toBe(2);
    // ... and never past the message that has not succeeded.
    for (let i = 0; i < 3; i++) expect((await committed(broker, groupId, topic)).get(0)).toBe(2);
    hold.open();
    await waitFor(() => done.length === 5, 'all 5 handled');
    await sub.close(); // close commits what finished
    expect((await committed(broker, groupId, topic)).get(0)).toBe(5);
  });

  it('kafka: a fan-out subscription gets a consumer group of its own, removed when it closes', async () => {
    const broker = await make();
    const topic = randomTopic('kafka-fanout');
    const got: number[][] = [[], []];
    const a = await broker.subscribe<number>(topic, (m) => void got[0]!.push(m.value));
    const b = await broker.subscribe<number>(topic, (m) => void got[1]!.push(m.value));
    const named = await broker.subscribe<number>(topic, () => {}, { group: 'named' });
    const mine = (await groups(broker)).filter((g) => g.endsWith(`:${topic}`));
    expect(mine.filter((g) => g.startsWith('fanout.'))).toHaveLength(2);
    expect(mine).toContain(`named:${topic}`);
    await broker.publish(topic, 7);
    await waitFor(() => got[0]!.length === 1 && got[1]!.length === 1, 'both fan-out subscribers');
    await Promise.all([a.close(), b.close(), named.close()]);
    const left = (await groups(broker)).filter((g) => g.endsWith(`:${topic}`));
    expect(left).toEqual([`named:${topic}`]); // a named group keeps its offsets; fan-out groups are gone
  });

  it('kafka: gzip-compressed batches round-trip', async () => {
    const broker = await make({ compression: 'gzip' });
    const topic = randomTopic('kafka-gzip');
    const got: string[] = [];
    await broker.subscribe<string>(topic, (m) => void got.push(m.value));
    const text = 'Hämeentie '.repeat(500);
    await Promise.all([broker.publish(topic, text), broker.publish(topic, text)]);
    await waitFor(() => got.length === 2, 'two compressed messages');
    expect(got).toEqual([text, text]);
  });

  it('kafka: status goes connected, then closed', async () => {
    const broker = createKafkaBroker(KAFKA_TEST_OPTIONS);
    const seen: string[] = [];
    broker.onStatus((s) => seen.push(s.type));
    await broker.connect();
    await broker.close();
    expect(seen).toEqual(['connecting', 'connected', 'closed']);
  });
});

describe('kafka backend: options and topics (no server)', () => {
  it('kafka: invalid options are reported together', () => {
    expect(() => createKafkaBroker({ partitions: 0, lingerMs: -1, brokers: 'nohost' })).toThrow(
      /partitions.*lingerMs.*brokers|brokers.*partitions.*lingerMs/,
    );
  });

  it('kafka: wildcards and illegal topic names are refused with typed errors', async () => {
    const broker = createKafkaBroker({ ...KAFKA_TEST_OPTIONS, brokers: '127.0.0.1:1' });
    await expect(broker.subscribe('rtm.*.pos', () => {})).rejects.toMatchObject({
      code: 'TRANSPORT_UNSUPPORTED',
    });
    await expect(broker.subscribe('hfp/v2/vp', () => {})).rejects.toMatchObject({
      code: 'TRANSPORT_INVALID_OPTION',
    });
    await expect(broker.publish('a b', 1)).rejects.toMatchObject({ code: 'TRANSPORT_PUBLISH_FAILED' });
    await broker.close();
  });

  it('kafka: connect fails with a typed error when no broker answers', async () => {
    const broker = createKafkaBroker({ brokers: '127.0.0.1:1', connectTimeoutMs: 1_500 });
    await expect(broker.connect()).rejects.toMatchObject({ code: 'TRANSPORT_CONNECT_FAILED' });
    await broker.close();
  });
});
