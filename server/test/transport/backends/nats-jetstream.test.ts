/** NATS-specific behaviour beyond the conformance suite, against the machine's nats-server. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection, headers as natsHeaders } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNatsBroker, type NatsBrokerOptions } from '../../../src/transport/backends/nats/index.ts';
import { streamNameFor } from '../../../src/transport/backends/nats/names.ts';
import type { Broker } from '../../../src/transport/broker.ts';
import { msgpackCodec } from '../../../src/transport/codecs/msgpack-codec.ts';
import { rawCodec } from '../../../src/transport/codecs/raw-codec.ts';
import { HEADER, type Message } from '../../../src/transport/message.ts';
import { service } from '../../support/service.ts';
import { Collector, randomTopic, settle, waitFor } from '../conformance/support.ts';
import { deleteStreams, NATS_URL, restartNatsServer, testStreamPrefix } from './nats-support.ts';

const nats = await service('nats', 4222);

type Jsm = Awaited<ReturnType<typeof jetstreamManager>>;

/**
 * Deletes a consumer as a server losing it would. nats-server can refuse the delete under load while
 * the consumer is still writing its state ("unlinkat ...: directory not empty"): try again shortly;
 * "not found" on a retry means the first attempt got there.
 */
async function deleteConsumer(jsm: Jsm, stream: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await jsm.consumers.delete(stream, name);
      return;
    } catch (error) {
      const text = String(error);
      if (attempt > 1 && /not found/i.test(text)) return;
      if (attempt >= 10 || !/directory not empty/i.test(text)) throw error;
      await settle(200);
    }
  }
}
const prefix = testStreamPrefix();

describe.skipIf(!nats.up)(`nats backend${nats.reason}`, () => {
  let raw: NatsConnection;
  const open: Broker[] = [];
  const make = async (options: NatsBrokerOptions = {}) => {
    const broker = createNatsBroker({ servers: NATS_URL, streamPrefix: prefix, ...options });
    open.push(broker);
    await broker.connect();
    return broker;
  };
  const fast = { initialDelayMs: 10, maxDelayMs: 40, jitter: 0 };

  beforeAll(async () => {
    raw = await connect({ servers: NATS_URL });
  });
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((b) => b.close({ deadlineMs: 5_000 })));
  });
  afterAll(async () => {
    await raw?.close();
    await deleteStreams(prefix);
  });

  it('nats: a nak waits the policy backoff before the redelivery', async () => {
    const broker = await make();
    const topic = randomTopic('nakdelay');
    const at: number[] = [];
    await broker.subscribe(
      topic,
      () => {
        at.push(Date.now());
        if (at.length === 1) throw new Error('later');
      },
      { policy: { maxAttempts: 2, initialDelayMs: 400, jitter: 0 } },
    );
    await broker.publish(topic, 1);
    await waitFor(() => at.length === 2, 'the redelivery');
    // A lower bound only: the server must not redeliver before the nak delay.
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(350);
  });

  it('nats: the consumer carries explicit ack and a max_deliver backstop above maxAttempts', async () => {
    const broker = await make();
    const topic = randomTopic('config');
    await broker.subscribe(topic, () => {}, { group: 'cfg', policy: { maxAttempts: 4 } });
    const jsm = await jetstreamManager(raw);
    const info = await jsm.consumers.info(streamNameFor(prefix, topic), 'cfg');
    expect(info.config.ack_policy).toBe('explicit');
    expect(info.config.max_deliver).toBe(6);
    expect(info.config.filter_subject).toBe(topic);
  });

  it('nats: a message redelivered past maxAttempts is dead-lettered without running the handler', async () => {
    const broker = await make();
    const topic = randomTopic('maxdeliver');
    const policy = { ...fast, maxAttempts: 2 };
    const first = await broker.subscribe(topic, () => {}, { group: 'g', policy });
    await first.close();
    await broker.publish(topic, { n: 1 }, { key: 'k' });
    // Two deliveries that were never acked, as if two consumers crashed mid-handler.
    const consumer = await jetstream(raw).consumers.get(streamNameFor(prefix, topic), 'g');
    for (let i = 1; i <= 2; i++) {
      const m = await consumer.next({ expires: 5_000 });
      expect(m?.info.deliveryCount).toBe(i);
      m!.nak();
    }
    const dead = new Collector<Uint8Array>();
    await broker.subscribe(`${topic}.dlq`, dead.handler, { codec: rawCodec });
    let calls = 0;
    await broker.subscribe(topic, () => void calls++, { group: 'g', policy });
    await dead.until(1, 'the dead letter');
    await settle(100);
    expect(calls).toBe(0);
    const d = dead.messages[0]!;
    expect(d.headers[HEADER.errorCode]).toBe('TRANSPORT_NATS_MAX_DELIVERIES');
    expect(d.headers[HEADER.attempts]).toBe('3');
    expect(d.key).toBe('k');
  });

  it('nats: a durable group resumes where it stopped after its broker closed', async () => {
    const topic = randomTopic('durable');
    const pub = await make();
    const seen: number[] = [];
    const handler = (m: Message<number>) => {
      seen.push(m.value);
    };
    const a = await make();
    await a.subscribe(topic, handler, { group: 'resume' });
    for (let i = 0; i < 5; i++) await pub.publish(topic, i);
    await waitFor(() => seen.length === 5, 'the first five');
    await a.close();
    for (let i = 5; i < 10; i++) await pub.publish(topic, i);
    const jsm = await jetstreamManager(raw);
    const info = await jsm.consumers.info(streamNameFor(prefix, topic), 'resume');
    expect(info.num_pending).toBe(5);
    const b = await make();
    await b.subscribe(topic, handler, { group: 'resume' });
    await waitFor(() => seen.length >= 10, 'the five sent while away');
    await settle(200);
    expect(seen).toEqual([...Array(10).keys()]);
  });

  it('nats: a fan-out consumer is deleted on close, and recreated if the server loses it', async () => {
    const broker = await make();
    const topic = randomTopic('fanout');
    const stream = streamNameFor(prefix, topic);
    const jsm = await jetstreamManager(raw);
    const got = new Collector<number>();
    const sub = await broker.subscribe(topic, got.handler);
    const names: string[] = [];
    for await (const c of jsm.consumers.list(stream)) names.push(c.name);
    expect(names).toHaveLength(1);
    await broker.publish(topic, 1);
    await got.until(1);
    // Lost under the subscription (as a server restart without its state would do): it comes back.
    await deleteConsumer(jsm, stream, names[0]!);
    await broker.publish(topic, 2);
    await got.until(2, 'the message after the consumer was recreated', 20_000);
    expect(got.values()).toEqual([1, 2]);
    await sub.close();
    const after: string[] = [];
    for await (const c of jsm.consumers.list(stream)) after.push(c.name);
    expect(after).toEqual([]);
  }, 30_000);

  it('nats: headers, key and payload interoperate with the raw client', async () => {
    const broker = await make();
    const topic = randomTopic('interop');
    const got = new Collector();
    await broker.subscribe(topic, got.handler);
    const h = natsHeaders();
    h.set('Content-Type', 'application/msgpack');
    h.set('x-key', '0022/01216');
    h.set('Message-Id', 'foreign-1');
    await jetstream(raw).publish(topic, msgpackCodec.encode({ veh: 1216 }), { headers: h });
    await got.until(1);
    const m = got.messages[0]!;
    expect(m.value).toEqual({ veh: 1216 });
    expect(m.key).toBe('0022/01216');
    expect(m.id).toBe('foreign-1');
    expect(m.headers[HEADER.contentType]).toBe('application/msgpack');

    // And the other way: what the broker publishes is plain NATS headers plus the payload bytes.
    await broker.publish(topic, { a: 'ä' }, { key: 'k1', headers: { 'correlation-id': 'c1' } });
    const consumer = await jetstream(raw).consumers.get(streamNameFor(prefix, topic));
    const seen: string[] = [];
    const iter = await consumer.fetch({ max_messages: 2, expires: 5_000 });
    for await (const r of iter) {
      if (r.headers?.get('correlation-id') !== 'c1') continue;
      expect(new TextDecoder().decode(r.data)).toBe('{"a":"ä"}');
      expect(r.headers.get('x-key')).toBe('k1');
      expect(r.headers.get('content-type')).toBe('application/json');
      expect(r.headers.get('Nats-Msg-Id')).toBe(r.headers.get('message-id'));
      seen.push(r.headers.get('message-id'));
    }
    expect(seen).toHaveLength(1);
  });

  it('nats: the largest payload the server allows round-trips; a larger one is rejected', async () => {
    const broker = await make();
    const topic = randomTopic('size');
    const got = new Collector<Uint8Array>();
    await broker.subscribe(topic, got.handler, { codec: rawCodec });
    const max = (broker.native() as NatsConnection).info!.max_payload;
    const big = new Uint8Array(max - 1_024).map((_, i) => i % 251);
    await broker.publish(topic, big, { codec: rawCodec });
    await got.until(1);
    expect(Buffer.from(got.messages[0]!.value).equals(Buffer.from(big))).toBe(true);
    await expect(broker.publish(topic, new Uint8Array(max), { codec: rawCodec })).rejects.toMatchObject({
      code: 'TRANSPORT_PUBLISH_FAILED',
    });
  });

  it('nats: a declared stream captures a subject set, and publishing to a pattern is refused', async () => {
    const base = randomTopic('declared');
    const name = `${prefix}_declared`;
    const broker = await make({ streams: [{ name, subjects: [`${base}.>`] }] });
    const got = new Collector<string>();
    await broker.subscribe(`${base}.*.pos`, got.handler, { group: 'g' });
    await broker.publish(`${base}.a.pos`, 'a');
    await broker.publish(`${base}.a.other`, 'x');
    await broker.publish(`${base}.b.pos`, 'b');
    await got.until(2);
    await settle(100);
    expect(got.values().sort()).toEqual(['a', 'b']);
    const jsm = await jetstreamManager(raw);
    expect((await jsm.streams.info(name)).state.messages).toBe(3);
    await expect(broker.publish(`${base}.*`, 1)).rejects.toMatchObject({ code: 'TRANSPORT_INVALID_OPTION' });
    // A pattern with no literal prefix has no stream to live in unless one is declared.
    await expect(broker.subscribe('*.pos', () => {})).rejects.toMatchObject({
      code: 'TRANSPORT_INVALID_OPTION',
    });
  });

  it('nats core: request-reply through the native connection', async () => {
    const broker = await make({ mode: 'core' });
    const nc = broker.native() as NatsConnection;
    const subject = randomTopic('rpc');
    const responder = nc.subscribe(subject, {
      callback: (_err, m) => {
        m.respond(new TextEncoder().encode(`re:${m.string()}`));
      },
    });
    const reply = await nc.request(subject, new TextEncoder().encode('ping'), { timeout: 2_000 });
    expect(reply.string()).toBe('re:ping');
    responder.unsubscribe();
    expect(broker.capabilities).toMatchObject({ requestReply: true, persistent: false, groups: true });
  });

  it('nats: status goes connecting -> connected -> closed', async () => {
    const broker = createNatsBroker({ servers: NATS_URL, streamPrefix: prefix });
    const seen: string[] = [];
    broker.onStatus((s) => seen.push(s.type));
    expect(broker.status.type).toBe('idle');
    await broker.connect();
    await broker.close();
    expect(seen).toEqual(['connecting', 'connected', 'closed']);
    await expect(broker.publish('x', 1)).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
  });

  // Last in this block: the restart also disconnects the shared raw connection.
  it('nats: a fan-out JetStream subscription resumes after a server restart and misses nothing', async () => {
    const [pub, sub] = [await make(), await make()];
    const topic = randomTopic('fanout-restart');
    const got = new Set<number>();
    await sub.subscribe<number>(topic, (m) => {
      got.add(m.value);
    });
    for (let i = 0; i < 50; i++) await pub.publish(topic, i);
    await waitFor(() => got.size === 50, 'the first 50');
    await restartNatsServer();
    // Published while the subscriber may still be reconnecting: stored, so it must arrive.
    for (let i = 50; i < 100; i++) await pub.publish(topic, i);
    await waitFor(() => got.size === 100, `all 100 after the restart (have ${got.size})`, 45_000);
    expect(sub.status.type).toBe('connected');
  }, 90_000);
});

describe('nats options', () => {
  it('nats: every TRANSPORT_NATS_ code is documented in the backend README', () => {
    const dir = fileURLToPath(new URL('../../../src/transport/backends/nats/', import.meta.url));
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const source = readFileSync(join(dir, 'errors.ts'), 'utf8');
    const codes = [...source.matchAll(/'(TRANSPORT_NATS_[A-Z_]+)'/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect(readme).toContain(`\`${code}\``);
  });

  it('nats: invalid options are reported together', () => {
    expect(() =>
      createNatsBroker({ mode: 'push' as never, ackWaitMs: 10, streamPrefix: 'a.b', servers: [] }),
    ).toThrowError(/mode.*servers|servers.*mode/s);
    try {
      createNatsBroker({ mode: 'push' as never, ackWaitMs: 10, streamPrefix: 'a.b' });
    } catch (error) {
      expect(error).toMatchObject({ code: 'TRANSPORT_INVALID_OPTION' });
      expect(String(error)).toMatch(/mode/);
      expect(String(error)).toMatch(/ackWaitMs/);
      expect(String(error)).toMatch(/streamPrefix/);
    }
  });

  it('nats: a connect failure is a typed error and leaves the broker closed', async () => {
    const broker = createNatsBroker({ servers: '127.0.0.1:1', maxReconnectAttempts: 0 });
    await expect(broker.connect()).rejects.toMatchObject({ code: 'TRANSPORT_CONNECT_FAILED' });
    expect(broker.status.type).toBe('closed');
  });
});
