import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRabbitmqBroker, DEAD_LETTER_GROUP } from '../../../src/transport/backends/rabbitmq/index.ts';
import type { RabbitmqBrokerOptions } from '../../../src/transport/backends/rabbitmq/options.ts';
import type { Broker } from '../../../src/transport/broker.ts';
import { rawCodec } from '../../../src/transport/codecs/raw-codec.ts';
import { HEADER } from '../../../src/transport/message.ts';
import { service } from '../../support/service.ts';
import { describeConformance } from '../conformance/suite.ts';
import { Collector, randomTopic, waitFor } from '../conformance/support.ts';

const URL = 'amqp://guest:guest@127.0.0.1:5672';
const rabbit = await service('rabbitmq', 5672);
const skip = rabbit.up ? undefined : rabbit.reason.replace(/^ \(skipped: (.*)\)$/, '$1');
// An exchange of this file's own; every queue it creates starts with `${exchange}:`.
const exchange = `rtmtest-${randomUUID().slice(0, 8)}`;
const options = (extra: RabbitmqBrokerOptions = {}): RabbitmqBrokerOptions => ({
  url: URL,
  exchange,
  // Restart tests wait for the reconnect: keep the backoff short.
  reconnectMaxDelayMs: 1_000,
  ...extra,
});

/**
 * The env notes' restart command; durable queues and persistent messages survive it. `-detached`
 * returns before the node registers, and await_startup fails fast until it has, so poll it.
 */
async function restartRabbitmq(): Promise<void> {
  execSync('rabbitmqctl stop >/dev/null 2>&1; rabbitmq-server -detached >/dev/null 2>&1', {
    timeout: 60_000,
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      execSync('rabbitmqctl await_startup --timeout 30 >/dev/null 2>&1', { timeout: 40_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** This file's queues with their consumer counts (rabbitmqctl: exclusive queues cannot be checked from another connection). */
function ourQueues(): Map<string, number> {
  const rows = execSync('rabbitmqctl list_queues -q --no-table-headers name consumers', {
    encoding: 'utf8',
  }).split('\n');
  const out = new Map<string, number>();
  for (const row of rows) {
    const [name, consumers] = row.trim().split(/\s+/);
    if (name?.startsWith(`${exchange}:`)) out.set(name, Number(consumers));
  }
  return out;
}

/** This file's queues with their types (classic / quorum). */
function queueTypes(): Map<string, string> {
  const rows = execSync('rabbitmqctl list_queues -q --no-table-headers name type', {
    encoding: 'utf8',
  }).split('\n');
  const out = new Map<string, string>();
  for (const row of rows) {
    const [name, type] = row.trim().split(/\s+/);
    if (name?.startsWith(`${exchange}:`) && type) out.set(name, type);
  }
  return out;
}

afterAll(async () => {
  if (!rabbit.up) return;
  const connection = await amqp.connect(URL);
  const channel = await connection.createChannel();
  for (const q of ourQueues().keys()) await channel.deleteQueue(q);
  await channel.deleteExchange(exchange);
  await connection.close();
});

describeConformance('rabbitmq', {
  ...(skip ? { skip } : {}),
  makeBroker: async () => {
    const broker = createRabbitmqBroker(options());
    await broker.connect();
    return broker;
  },
  restartServer: restartRabbitmq,
});

// The same suite with group queues as quorum queues (fan-out queues stay classic and exclusive).
describeConformance('rabbitmq quorum', {
  ...(skip ? { skip } : {}),
  makeBroker: async () => {
    const broker = createRabbitmqBroker(options({ queueType: 'quorum' }));
    await broker.connect();
    return broker;
  },
  restartServer: restartRabbitmq,
});

describe.skipIf(!rabbit.up)(`rabbitmq backend${rabbit.reason}`, () => {
  const open: Broker[] = [];
  const connections: ChannelModel[] = [];
  const make = async (extra: RabbitmqBrokerOptions = {}) => {
    const broker = createRabbitmqBroker(options(extra));
    open.push(broker);
    await broker.connect();
    return broker;
  };
  const admin = async () => {
    const connection = await amqp.connect(URL);
    connections.push(connection);
    return connection.createChannel();
  };
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((b) => b.close({ deadlineMs: 5_000 })));
    await Promise.allSettled(connections.splice(0).map((c) => c.close()));
  });

  it('rabbitmq: a nack waits in a delay-bucket retry queue, then the message is dead-lettered and kept', async () => {
    const broker = await make();
    const topic = randomTopic('retry');
    const dead = new Collector<Uint8Array>();
    await broker.subscribe(`${topic}.dlq`, dead.handler, { codec: rawCodec });
    const times: number[] = [];
    const attempts: number[] = [];
    await broker.subscribe(
      topic,
      (m) => {
        times.push(Date.now());
        attempts.push(m.attempt);
        throw new Error('still broken');
      },
      {
        group: 'workers',
        policy: { maxAttempts: 3, initialDelayMs: 300, multiplier: 2, maxDelayMs: 10_000, jitter: 0 },
      },
    );
    await broker.publish(topic, { n: 1 }, { key: 'k' });
    await dead.until(1, 'the dead letter');
    expect(attempts).toEqual([1, 2, 3]);
    // The TTL of a retry queue cannot expire early: each gap is at least its bucket's delay.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(290);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(590);
    const d = dead.messages[0]!;
    expect(d.headers[HEADER.attempts]).toBe('3');
    expect(d.headers[HEADER.error]).toBe('still broken');
    expect(d.key).toBe('k');
    const channel = await admin();
    const main = `${exchange}:${topic}:workers`;
    // One retry queue per delay bucket (checkQueue throws for a missing one).
    expect((await channel.checkQueue(`${main}:retry:300`)).messageCount).toBe(0);
    expect((await channel.checkQueue(`${main}:retry:600`)).messageCount).toBe(0);
    // A group's dead letters are also kept in a durable queue, even with nobody subscribed to them.
    const parked = await channel.checkQueue(`${exchange}:${topic}.dlq:${DEAD_LETTER_GROUP}`);
    expect(parked.messageCount).toBe(1);
  });

  it('rabbitmq: a deleted queue is re-declared and consumed again', async () => {
    const broker = await make();
    const topic = randomTopic('redeclare');
    const got = new Collector<number>();
    await broker.subscribe(topic, got.handler, { group: 'g' });
    await broker.publish(topic, 1);
    await got.until(1);
    const channel = await admin();
    await channel.deleteQueue(`${exchange}:${topic}:g`);
    // The server cancels the consumer; the subscription declares and binds its queue again.
    let n = 2;
    await waitFor(
      () => {
        void broker.publish(topic, n++).catch(() => {});
        return got.count >= 2;
      },
      'a message through the re-declared queue',
      10_000,
    );
    expect((await channel.checkQueue(`${exchange}:${topic}:g`)).consumerCount).toBe(1);
  });

  it('rabbitmq: a restart re-declares the topology and restores fan-out and group subscriptions', async () => {
    const broker = await make();
    const statuses: string[] = [];
    broker.onStatus((s) => statuses.push(s.type));
    const topic = randomTopic('topology');
    const fan = new Collector<number>();
    const group = new Collector<number>();
    await broker.subscribe(topic, fan.handler);
    await broker.subscribe(topic, group.handler, { group: 'g' });
    const fanQueue = [...ourQueues().keys()].find((q) => q.startsWith(`${exchange}:${topic}:fanout.`));
    expect(fanQueue).toBeDefined();
    await broker.publish(topic, 0);
    await fan.until(1);
    await group.until(1);
    await restartRabbitmq();
    await waitFor(
      () => statuses.includes('reconnecting') && broker.status.type === 'connected',
      'the reconnect',
      60_000,
    );
    await broker.publish(topic, 1);
    await fan.until(2, 'fan-out after the restart');
    await group.until(2, 'group after the restart');
    // The exclusive fan-out queue died with the old connection and was declared again.
    expect(ourQueues().get(fanQueue!)).toBe(1);
    expect(fan.values()).toEqual([0, 1]);
  }, 120_000);

  it('rabbitmq: publish waits for the confirm and rejects with a typed error when closed', async () => {
    const broker = await make();
    await broker.close();
    await expect(broker.publish(randomTopic('closed'), 1)).rejects.toMatchObject({
      code: 'TRANSPORT_CLOSED',
    });
  });

  it('rabbitmq: quorum group queues count a redelivery after a consumer died into the attempt', async () => {
    const first = await make({ queueType: 'quorum' });
    const topic = randomTopic('quorum');
    const seen: number[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    await first.subscribe(
      topic,
      (m) => {
        seen.push(m.attempt);
        return held; // still being handled when its connection dies
      },
      { group: 'q' },
    );
    expect(queueTypes().get(`${exchange}:${topic}:q`)).toBe('quorum');
    await first.publish(topic, 1);
    await waitFor(() => seen.length === 1, 'the first delivery');
    // Stop consuming on `first` for good, then drop its socket: RabbitMQ requeues the unacked message.
    // (with an error: amqplib notices a socket's 'error' or 'end', not a bare destroy)
    (first.native() as { connection: { stream: { destroy(e: Error): void } } }).connection.stream.destroy(
      new Error('test: link dropped'),
    );
    const closing = first.close({ deadlineMs: 2_000 }).catch(() => {});
    release();
    await closing;
    const second = await make({ queueType: 'quorum' });
    const again = new Collector<number>();
    await second.subscribe(topic, again.handler, { group: 'q' });
    await again.until(1, 'the redelivery');
    expect(again.messages[0]!.attempt).toBe(2);
    expect(again.messages[0]!.headers['x-delivery-count']).toBeUndefined();
  });

  it('rabbitmq: options are validated, every problem at once', () => {
    expect(() =>
      createRabbitmqBroker({ url: 'http://x', exchange: 'amq.topic', publishTimeoutMs: 0 }),
    ).toThrowError(/url must start with amqp.*exchange must be.*publishTimeoutMs/);
    expect(() => createRabbitmqBroker({ queueType: 'stream' as 'quorum' })).toThrowError(/queueType/);
  });
});
