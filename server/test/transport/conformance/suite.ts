/**
 * The universal conformance suite: every backend runs it against a real server. Each case reads
 * `broker.capabilities` and skips (saying why) where the backend declares it cannot do the thing.
 *
 *   describeConformance('redis', { makeBroker: async () => { const b = createRedisBroker(...); await b.connect(); return b; } });
 *
 * Contract the cases rely on (stated in src/transport/README.md too):
 * - makeBroker() returns a NEW, CONNECTED broker; the suite closes every broker it made (close must be
 *   idempotent). Several brokers made by one setup talk to the same server (memory: the same hub).
 * - subscribe() resolves once the subscription is active: messages published after that are delivered.
 * - publish() honours a caller's `content-type` header over the codec's (so raw bytes can be sent as JSON).
 * - Every test uses its own random topic; nothing is shared between tests.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type { Broker, Capabilities, DeliveryPolicy } from '../../../src/transport/broker.ts';
import { jsonCodec } from '../../../src/transport/codecs/json-codec.ts';
import { rawCodec } from '../../../src/transport/codecs/raw-codec.ts';
import { HEADER, type Message } from '../../../src/transport/message.ts';
import { Collector, gate, randomTopic, settle, waitFor } from './support.ts';

export interface ConformanceSetup {
  /** A new, connected broker on the backend under test. */
  readonly makeBroker: () => Promise<Broker>;
  /** Restarts the real server and resolves once it accepts connections again. Enables the restart case. */
  readonly restartServer?: () => Promise<void>;
  /** Skips the whole suite, with this reason. */
  readonly skip?: string;
  /** Skips single cases by id (see CASES), each with its reason. */
  readonly skipCases?: Readonly<Partial<Record<CaseId, string>>>;
}

export const CASES = [
  'round-trip',
  'topic-isolation',
  'fan-out',
  'competing-consumers',
  'two-groups',
  'nack-redelivers',
  'retry-then-dead-letter',
  'undecodable-dead-letter',
  'per-key-order',
  'concurrent-publishers',
  'close-publisher-flushes',
  'resubscribe-loses-nothing',
  'server-restart',
  'close-drains-handler',
  'payload-sizes',
  'non-ascii-headers',
  'wildcards',
] as const;
export type CaseId = (typeof CASES)[number];

/** Small delays so retry cases run in milliseconds. */
const FAST_RETRY: Partial<DeliveryPolicy> = {
  initialDelayMs: 10,
  maxDelayMs: 40,
  multiplier: 2,
  jitter: 0.2,
};

export function describeConformance(name: string, setup: ConformanceSetup): void {
  const title = `${name} conformance${setup.skip ? ` (skipped: ${setup.skip})` : ''}`;
  describe.skipIf(setup.skip !== undefined)(title, () => {
    let caps: Capabilities;
    const open: Broker[] = [];
    const make = async (): Promise<Broker> => {
      const broker = await setup.makeBroker();
      open.push(broker);
      return broker;
    };

    beforeAll(async () => {
      const probe = await setup.makeBroker();
      caps = probe.capabilities;
      await probe.close();
    });

    afterEach(async () => {
      await Promise.allSettled(open.splice(0).map((b) => b.close({ deadlineMs: 5_000 })));
    });

    /** Skips the running case when the backend lacks `needs` or the setup opted out of it. */
    const gateCase = (ctx: TestContext, id: CaseId, needs: readonly (keyof Capabilities)[] = []) => {
      const reason = setup.skipCases?.[id];
      if (reason) ctx.skip(reason);
      const missing = needs.filter((n) => !caps[n]);
      if (missing.length > 0) ctx.skip(`${name} declares no ${missing.join(', ')}`);
    };

    it('conformance: payload, headers and key round trip', async (ctx) => {
      gateCase(ctx, 'round-trip');
      const [pub, sub] = [await make(), await make()];
      const topic = randomTopic('roundtrip');
      const got = new Collector<unknown>();
      const subscription = await sub.subscribe(topic, got.handler);
      expect(subscription.topic).toBe(topic);
      const value = { line: '550', speed: 12.5, doors: [0, 1], nested: { ok: true }, text: 'Itäkeskus' };
      await pub.publish(topic, value, {
        key: 'vehicle-0022/01216',
        headers: {
          'Correlation-Id': 'corr-1',
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        },
      });
      await got.until(1);
      await settle();
      expect(got.count).toBe(1);
      const m = got.messages[0]!;
      expect(m.value).toEqual(value);
      expect(m.topic).toBe(topic);
      expect(m.key).toBe('vehicle-0022/01216');
      expect(m.attempt).toBe(1);
      expect(Buffer.from(m.raw).equals(Buffer.from(jsonCodec.encode(value)))).toBe(true);
      expect(Math.abs(m.timestamp - Date.now())).toBeLessThan(60_000);
      expect(m.id).toMatch(/.+/);
      if (caps.headers) {
        expect(m.headers[HEADER.messageId]).toBe(m.id);
        expect(m.headers[HEADER.contentType]).toBe('application/json');
        expect(m.headers[HEADER.correlationId]).toBe('corr-1');
        expect(m.headers[HEADER.traceparent]).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
      }
      await subscription.close();
      await expect(subscription.closed).resolves.toBeUndefined();
    });

    it('conformance: topic isolation', async (ctx) => {
      gateCase(ctx, 'topic-isolation');
      const broker = await make();
      const a = randomTopic('iso-a');
      const b = randomTopic('iso-b');
      const gotA = new Collector<number>();
      const gotB = new Collector<number>();
      await broker.subscribe(a, gotA.handler);
      await broker.subscribe(b, gotB.handler);
      for (let i = 0; i < 5; i++) await broker.publish(a, i);
      for (let i = 100; i < 103; i++) await broker.publish(b, i);
      await gotA.until(5);
      await gotB.until(3);
      await settle();
      expect(gotA.values()).toEqual([0, 1, 2, 3, 4]);
      expect(gotB.values()).toEqual([100, 101, 102]);
      expect(gotA.messages.every((m) => m.topic === a)).toBe(true);
    });

    it('conformance: fan-out to several subscribers', async (ctx) => {
      gateCase(ctx, 'fan-out');
      const [pub, s1, s2] = [await make(), await make(), await make()];
      const topic = randomTopic('fanout');
      const got = [new Collector<number>(), new Collector<number>(), new Collector<number>()];
      await s1.subscribe(topic, got[0]!.handler);
      await s2.subscribe(topic, got[1]!.handler);
      await s2.subscribe(topic, got[2]!.handler);
      for (let i = 0; i < 20; i++) await pub.publish(topic, i);
      for (const c of got) await c.until(20);
      await settle();
      for (const c of got) expect([...c.values()].sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
    });

    it('conformance: competing consumers in a group get every message once', async (ctx) => {
      gateCase(ctx, 'competing-consumers', ['groups']);
      const [pub, m1, m2] = [await make(), await make(), await make()];
      const topic = randomTopic('group');
      const seen: number[] = [];
      const handler = (m: Message<number>) => {
        seen.push(m.value);
      };
      await m1.subscribe(topic, handler, { group: 'workers' });
      await m2.subscribe(topic, handler, { group: 'workers' });
      await m2.subscribe(topic, handler, { group: 'workers' });
      for (let i = 0; i < 60; i++) await pub.publish(topic, i, { key: `k${i % 7}` });
      await waitFor(() => seen.length >= 60, `60 group deliveries (have ${seen.length})`);
      await settle(200);
      expect(seen.length).toBe(60);
      expect(new Set(seen).size).toBe(60);
    });

    it('conformance: two groups each get everything', async (ctx) => {
      gateCase(ctx, 'two-groups', ['groups']);
      const [pub, s1, s2] = [await make(), await make(), await make()];
      const topic = randomTopic('twogroups');
      const g1 = new Collector<number>();
      const g2 = new Collector<number>();
      await s1.subscribe(topic, g1.handler, { group: 'g1' });
      await s2.subscribe(topic, g1.handler, { group: 'g1' });
      await s2.subscribe(topic, g2.handler, { group: 'g2' });
      for (let i = 0; i < 30; i++) await pub.publish(topic, i);
      await g1.until(30, 'group g1');
      await g2.until(30, 'group g2');
      await settle(200);
      for (const g of [g1, g2]) expect([...g.values()].sort((x, y) => x - y)).toEqual([...Array(30).keys()]);
    });

    it('conformance: a nack leads to redelivery', async (ctx) => {
      gateCase(ctx, 'nack-redelivers', ['redelivery']);
      const broker = await make();
      const topic = randomTopic('nack');
      const attempts: { id: string; attempt: number; value: unknown }[] = [];
      await broker.subscribe(
        topic,
        (m) => {
          attempts.push({ id: m.id, attempt: m.attempt, value: m.value });
          if (m.attempt === 1) throw new Error('not yet');
        },
        { policy: { ...FAST_RETRY, maxAttempts: 3 } },
      );
      await broker.publish(topic, { n: 1 });
      await waitFor(() => attempts.length >= 2, 'the redelivery');
      await settle(150);
      expect(attempts).toHaveLength(2);
      expect(attempts[1]!.id).toBe(attempts[0]!.id);
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);
      expect(attempts[1]!.value).toEqual({ n: 1 });
    });

    it('conformance: retries then dead-letters with attempt count and error headers', async (ctx) => {
      gateCase(ctx, 'retry-then-dead-letter', ['redelivery']);
      const broker = await make();
      const topic = randomTopic('dlq');
      const dead = new Collector<Uint8Array>();
      await broker.subscribe(`${topic}.dlq`, dead.handler, { codec: rawCodec });
      const seen: number[] = [];
      let original: Message | undefined;
      await broker.subscribe(
        topic,
        (m) => {
          original = m;
          seen.push(m.attempt);
          throw Object.assign(new Error('boom: bad stop ä'), { code: 'TEST_BOOM' });
        },
        { policy: { ...FAST_RETRY, maxAttempts: 3 } },
      );
      await broker.publish(topic, { stop: 'H1234' }, { key: 'k1', headers: { 'x-app': 'conf' } });
      await dead.until(1, 'the dead letter');
      await settle(150);
      expect(seen).toEqual([1, 2, 3]);
      expect(dead.count).toBe(1);
      const d = dead.messages[0]!;
      expect(Buffer.from(d.raw).equals(Buffer.from(original!.raw))).toBe(true);
      expect(d.key).toBe('k1');
      if (caps.headers) {
        expect(d.headers[HEADER.attempts]).toBe('3');
        expect(d.headers[HEADER.error]).toContain('boom: bad stop ä');
        expect(d.headers[HEADER.errorCode]).toBe('TEST_BOOM');
        expect(d.headers[HEADER.originalTopic]).toBe(topic);
        expect(d.headers[HEADER.messageId]).toBe(original!.id);
        expect(d.headers[HEADER.contentType]).toBe('application/json');
        expect(d.headers['x-app']).toBe('conf');
      }
    });

    it('conformance: an undecodable message goes straight to dead letter', async (ctx) => {
      gateCase(ctx, 'undecodable-dead-letter', ['redelivery']);
      const broker = await make();
      const topic = randomTopic('undecodable');
      const dead = new Collector<Uint8Array>();
      await broker.subscribe(`${topic}.dlq`, dead.handler, { codec: rawCodec });
      let calls = 0;
      await broker.subscribe(
        topic,
        () => {
          calls++;
        },
        { codec: jsonCodec, policy: FAST_RETRY },
      );
      const garbage = new Uint8Array([0xff, 0x7b, 0x22, 0x6e]);
      await broker.publish(topic, garbage, {
        codec: rawCodec,
        headers: { 'content-type': 'application/json' },
      });
      await dead.until(1, 'the dead letter');
      await settle(100);
      expect(calls).toBe(0);
      const d = dead.messages[0]!;
      expect(Array.from(d.raw)).toEqual(Array.from(garbage));
      if (caps.headers) {
        expect(d.headers[HEADER.errorCode]).toBe('TRANSPORT_DECODE_FAILED');
        expect(d.headers[HEADER.attempts]).toBe('1');
        expect(d.headers[HEADER.originalTopic]).toBe(topic);
      }
    });

    it('conformance: per-key order is kept with max in flight above 1', async (ctx) => {
      gateCase(ctx, 'per-key-order', ['orderedByKey']);
      const [pub, sub] = [await make(), await make()];
      const topic = randomTopic('order');
      const perKey = new Map<string, number[]>();
      let running = 0;
      let peak = 0;
      let total = 0;
      await sub.subscribe<{ k: string; i: number }>(
        topic,
        async (m) => {
          running++;
          peak = Math.max(peak, running);
          // A varying pause lets later messages overtake earlier ones if ordering were not enforced.
          await new Promise((r) => setTimeout(r, (m.value.i * 7) % 3));
          perKey.set(m.value.k, [...(perKey.get(m.value.k) ?? []), m.value.i]);
          running--;
          total++;
        },
        { maxInFlight: 8, orderedByKey: true },
      );
      const keys = ['a', 'b', 'c', 'd', 'e'];
      for (let i = 0; i < 40; i++) {
        for (const k of keys) await pub.publish(topic, { k, i }, { key: k });
      }
      await waitFor(() => total >= 200, `200 ordered messages (have ${total})`);
      for (const k of keys) expect(perKey.get(k)).toEqual([...Array(40).keys()]);
      ctx.annotate(`peak handlers in flight: ${peak}`);
    });

    it('conformance: 5,000 messages from 50 concurrent publishers all arrive', async (ctx) => {
      gateCase(ctx, 'concurrent-publishers');
      const [pub, sub] = [await make(), await make()];
      const topic = randomTopic('concurrent');
      const ids = new Set<string>();
      await sub.subscribe<{ p: number; i: number }>(
        topic,
        (m) => {
          ids.add(`${m.value.p}:${m.value.i}`);
        },
        { maxInFlight: 16 },
      );
      await Promise.all(
        Array.from({ length: 50 }, async (_, p) => {
          for (let i = 0; i < 100; i++) await pub.publish(topic, { p, i }, { key: `p${p}` });
        }),
      );
      await waitFor(() => ids.size >= 5_000, `5,000 distinct messages (have ${ids.size})`, 30_000);
      expect(ids.size).toBe(5_000);
    }, 60_000);

    it('conformance: closing a publisher flushes what it accepted', async (ctx) => {
      gateCase(ctx, 'close-publisher-flushes');
      const [pub, sub] = [await make(), await make()];
      const topic = randomTopic('flush');
      const got = new Set<number>();
      await sub.subscribe<number>(topic, (m) => {
        got.add(m.value);
      });
      const sends = Array.from({ length: 200 }, (_, i) => pub.publish(topic, i));
      await pub.close();
      const results = await Promise.allSettled(sends);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      await waitFor(() => got.size >= 200, `200 flushed messages (have ${got.size})`);
      await expect(pub.publish(topic, -1)).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
    });

    it('conformance: close and resubscribe loses nothing (persistent backends)', async (ctx) => {
      gateCase(ctx, 'resubscribe-loses-nothing', ['persistent', 'groups']);
      const pub = await make();
      const topic = randomTopic('resub');
      const got = new Set<number>();
      const handler = (m: Message<number>) => {
        got.add(m.value);
      };
      const first = await make();
      await first.subscribe(topic, handler, { group: 'durable' });
      for (let i = 0; i < 20; i++) await pub.publish(topic, i);
      await waitFor(() => got.size >= 20, 'the first 20');
      await first.close();
      for (let i = 20; i < 40; i++) await pub.publish(topic, i);
      const second = await make();
      await second.subscribe(topic, handler, { group: 'durable' });
      await waitFor(() => got.size >= 40, `all 40 after resubscribing (have ${got.size})`);
      expect([...got].sort((a, b) => a - b)).toEqual([...Array(40).keys()]);
    });

    it('conformance: a real server restart mid-stream (10,000 messages) and the subscription resumes', async (ctx) => {
      if (!setup.restartServer) ctx.skip('no restartServer given');
      gateCase(ctx, 'server-restart');
      const [pub, sub] = [await make(), await make()];
      const topic = randomTopic('restart');
      const got = new Set<number>();
      const statuses: string[] = [];
      sub.onStatus((s) => statuses.push(s.type));
      const durable = caps.persistent && caps.groups;
      await sub.subscribe<number>(
        topic,
        (m) => {
          got.add(m.value);
        },
        { ...(durable ? { group: 'restart' } : {}), maxInFlight: 32 },
      );
      const total = 10_000;
      let restart: Promise<void> | undefined;
      const send = async (i: number) => {
        const deadline = Date.now() + 60_000;
        for (;;) {
          try {
            await pub.publish(topic, i);
            return;
          } catch (error) {
            // The server is down: the publish was rejected (not lost silently); retry it.
            if (Date.now() > deadline) throw error;
            await settle(50);
          }
        }
      };
      for (let i = 0; i < total; i += 100) {
        if (i === 3_000) restart = setup.restartServer!();
        await Promise.all(Array.from({ length: 100 }, (_, j) => send(i + j)));
      }
      await restart;
      if (durable) {
        await waitFor(() => got.size >= total, `all ${total} after the restart (have ${got.size})`, 60_000);
        expect(got.size).toBe(total);
      } else {
        // Not persistent: messages sent while the subscriber was away may be gone, but the
        // subscription must come back by itself and receive everything sent after that.
        await waitFor(() => sub.status.type === 'connected', 'the subscriber to reconnect', 30_000);
        const probeFrom = total + 1_000_000;
        let probe = probeFrom;
        await waitFor(
          () => {
            if ([...got].some((v) => v >= probeFrom)) return true;
            void pub.publish(topic, probe++).catch(() => {});
            return false;
          },
          'a probe through the restored subscription',
          30_000,
        );
        for (let i = total; i < total + 1_000; i += 100) {
          await Promise.all(Array.from({ length: 100 }, (_, j) => send(i + j)));
        }
        await waitFor(
          () => [...Array(1_000).keys()].every((j) => got.has(total + j)),
          'the 1,000 messages sent after the restart',
          30_000,
        );
      }
      expect(statuses).toContain('reconnecting');
      expect(sub.status.type).toBe('connected');
      ctx.annotate(`received ${got.size} distinct; statuses ${[...new Set(statuses)].join(',')}`);
    }, 180_000);

    it('conformance: close drains a running handler', async (ctx) => {
      gateCase(ctx, 'close-drains-handler');
      const [pub, sub] = [await make(), await make()];
      const topic = randomTopic('drain');
      const hold = gate();
      let started = false;
      let finished = false;
      const subscription = await sub.subscribe(topic, async () => {
        started = true;
        await hold.promise;
        finished = true;
      });
      await pub.publish(topic, 'work');
      await waitFor(() => started, 'the handler to start');
      let closed = false;
      const closing = sub.close({ deadlineMs: 10_000 }).then(() => {
        closed = true;
      });
      await settle(100);
      expect(closed).toBe(false);
      hold.open();
      await closing;
      expect(finished).toBe(true);
      await expect(subscription.closed).resolves.toBeUndefined();
      await expect(sub.publish(topic, 'late')).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
      expect(sub.status.type).toBe('closed');
    });

    it('conformance: empty and 1 MiB payloads', async (ctx) => {
      gateCase(ctx, 'payload-sizes');
      const [pub, sub] = [await make(), await make()];
      const topic = randomTopic('sizes');
      const got = new Collector<Uint8Array>();
      await sub.subscribe(topic, got.handler, { codec: rawCodec });
      const big = new Uint8Array(randomBytes(1024 * 1024));
      await pub.publish(topic, new Uint8Array(0), { codec: rawCodec });
      await pub.publish(topic, big, { codec: rawCodec });
      await got.until(2);
      const bySize = [...got.messages].sort((a, b) => a.raw.byteLength - b.raw.byteLength);
      expect(bySize[0]!.raw.byteLength).toBe(0);
      expect(bySize[0]!.value.byteLength).toBe(0);
      expect(Buffer.from(bySize[1]!.value).equals(Buffer.from(big))).toBe(true);
    });

    it('conformance: non-ASCII headers survive', async (ctx) => {
      gateCase(ctx, 'non-ascii-headers', ['headers']);
      const [pub, sub] = [await make(), await make()];
      const topic = randomTopic('utf8');
      const got = new Collector();
      await sub.subscribe(topic, got.handler);
      const headers = {
        'x-stop': 'Hämeenlinnanväylä',
        'x-emoji': 'bus 🚌',
        'x-cjk': '日本語',
        'x-quote': 'a "b" c',
      };
      await pub.publish(topic, 1, { headers });
      await got.until(1);
      expect(got.messages[0]!.headers).toMatchObject(headers);
    });

    it('conformance: portable wildcards (* one segment, > the rest)', async (ctx) => {
      gateCase(ctx, 'wildcards', ['wildcards']);
      const [pub, sub] = [await make(), await make()];
      const base = randomTopic('wild');
      const one = new Collector<string>();
      const rest = new Collector<string>();
      await sub.subscribe(`${base}.*.pos`, one.handler);
      await sub.subscribe(`${base}.>`, rest.handler);
      const topics = [`${base}.a.pos`, `${base}.b.pos`, `${base}.a.other`, `${base}.a.b.pos`];
      for (const t of topics) await pub.publish(t, t);
      await rest.until(4);
      await one.until(2);
      await settle(100);
      expect(one.values().sort()).toEqual([`${base}.a.pos`, `${base}.b.pos`]);
      expect(rest.values().sort()).toEqual([...topics].sort());
      expect(rest.messages.every((m) => m.topic === m.value)).toBe(true);
    });
  });
}
