import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { capabilitiesByMode, createRedisBroker } from '../../../src/transport/backends/redis/index.ts';
import type { RedisBrokerOptions } from '../../../src/transport/backends/redis/options.ts';
import type { Broker } from '../../../src/transport/broker.ts';
import { canConnect, service } from '../../support/service.ts';
import { ownServer } from '../conformance/own-server.ts';
import { describeConformance } from '../conformance/suite.ts';
import { Collector, randomTopic, waitFor } from '../conformance/support.ts';

const URL = 'redis://127.0.0.1:6379';
const REDIS_SERVER = '/usr/bin/redis-server';
const redis = await service('redis', 6379);
// Every key this file creates starts with the prefix, so afterAll can delete them all.
const keyPrefix = `rtmtest:${randomUUID().slice(0, 8)}:`;

/** The env notes' restart command; this Redis keeps nothing on disk, so a restart empties it. */
async function restartRedis(): Promise<void> {
  execSync(
    'redis-cli shutdown nosave >/dev/null 2>&1; redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
  );
  const deadline = Date.now() + 20_000;
  while (!(await canConnect(6379))) {
    if (Date.now() > deadline) throw new Error('redis did not come back within 20 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function deleteKeys(): Promise<void> {
  const client = new Redis(URL);
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    for (let i = 0; i < keys.length; i += 500) await client.del(...keys.slice(i, i + 500));
  } finally {
    client.disconnect();
  }
}

afterAll(async () => {
  if (redis.up) await deleteKeys();
});

const brokerOptions = (extra: RedisBrokerOptions = {}): RedisBrokerOptions => ({
  url: URL,
  keyPrefix,
  ...extra,
});

// The conformance suites run on a redis-server of this file's own, persisting every write before it
// answers (AOF, fsync always): the restart case kills THAT server (SIGKILL, a crash) in the middle of
// 10,000 messages, and streams must lose nothing. The machine's Redis keeps nothing on disk, and
// restarting it would disturb everyone else's tests.
const own = await ownServer({
  name: 'redis-server',
  binary: REDIS_SERVER,
  args: (port, dir) => [
    ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
    ...['--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no', '--logfile', ''],
  ],
});
const ownUrl = own.up ? `redis://127.0.0.1:${own.server.port}` : URL;
const ownSkip = own.up ? undefined : own.reason;

afterAll(async () => {
  if (own.up) await own.server.stop();
});

const ownBroker = async (extra: RedisBrokerOptions = {}): Promise<Broker> => {
  const broker = createRedisBroker({ url: ownUrl, keyPrefix, ...extra });
  await broker.connect();
  return broker;
};

describeConformance('redis streams', {
  ...(ownSkip ? { skip: ownSkip } : {}),
  makeBroker: () => ownBroker(),
  restartServer: () => (own.up ? own.server.restart('SIGKILL') : Promise.resolve()),
});

describeConformance('redis pubsub', {
  ...(ownSkip ? { skip: ownSkip } : {}),
  makeBroker: () => ownBroker({ mode: 'pubsub' }),
  restartServer: () => (own.up ? own.server.restart('SIGKILL') : Promise.resolve()),
});

describe.skipIf(!redis.up)(`redis backend${redis.reason}`, () => {
  const open: Broker[] = [];
  const clients: Redis[] = [];
  const make = async (extra: RedisBrokerOptions = {}) => {
    const broker = createRedisBroker(brokerOptions(extra));
    open.push(broker);
    await broker.connect();
    return broker;
  };
  const raw = () => {
    const client = new Redis(URL);
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((b) => b.close({ deadlineMs: 5_000 })));
    for (const c of clients.splice(0)) c.disconnect();
  });

  it("redis: a crashed consumer's pending messages are claimed by another member", async () => {
    const topic = randomTopic('claim');
    const key = keyPrefix + topic;
    const client = raw();
    await client.xgroup('CREATE', key, 'workers', '$', 'MKSTREAM');
    const publisher = await make();
    for (let i = 0; i < 10; i++) await publisher.publish(topic, i);
    // The "crashed" consumer read everything and died before acking.
    const read = (await client.xreadgroup(
      'GROUP',
      'workers',
      'crashed',
      'COUNT',
      100,
      'STREAMS',
      key,
      '>',
    )) as [string, unknown[]][];
    expect(read[0]?.[1]).toHaveLength(10);
    const survivor = await make({ claimIdleMs: 300, claimIntervalMs: 100 });
    const got = new Collector<number>();
    await survivor.subscribe(topic, got.handler, { group: 'workers' });
    await got.until(10, 'the claimed messages');
    expect([...got.values()].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    // The attempt is the server's delivery count: read once by the crashed consumer, then claimed.
    expect(got.messages.every((m) => m.attempt === 2)).toBe(true);
    const deadline = Date.now() + 5_000;
    let pending = -1;
    while (Date.now() < deadline) {
      pending = Number(((await client.xpending(key, 'workers')) as unknown[])[0]);
      if (pending === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(pending).toBe(0);
  });

  it('redis: a slow handler keeps its message (its lease is refreshed), nobody else claims it', async () => {
    const topic = randomTopic('lease');
    const a = await make({ claimIdleMs: 200, claimIntervalMs: 50 });
    const b = await make({ claimIdleMs: 200, claimIntervalMs: 50 });
    const seen: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const handler = async (name: string) => {
      seen.push(name);
      await held;
    };
    await a.subscribe(topic, () => handler('a'), { group: 'g', policy: { handlerTimeoutMs: 0 } });
    await b.subscribe(topic, () => handler('b'), { group: 'g', policy: { handlerTimeoutMs: 0 } });
    await a.publish(topic, 'slow');
    await waitFor(() => seen.length >= 1, 'the first delivery');
    // Several claim intervals pass well beyond claimIdleMs while the handler runs.
    await new Promise((r) => setTimeout(r, 800));
    release();
    expect(seen).toHaveLength(1);
  });

  it('redis: streams are trimmed by length and by age', async () => {
    const client = raw();
    const byLength = randomTopic('trimlen');
    const lengthBroker = await make({ trim: { maxLen: 50, exact: true } });
    for (let i = 0; i < 120; i++) await lengthBroker.publish(byLength, i);
    expect(await client.xlen(keyPrefix + byLength)).toBe(50);

    const byAge = randomTopic('trimage');
    // Entries with ids from 1970 are far older than maxAgeMs: the next publish trims them.
    for (let i = 1; i <= 5; i++) await client.xadd(keyPrefix + byAge, `${i}-0`, 'payload', String(i));
    const ageBroker = await make({ trim: { maxAgeMs: 60_000, exact: true } });
    await ageBroker.publish(byAge, 'fresh');
    const left = await client.xrange(keyPrefix + byAge, '-', '+');
    expect(left).toHaveLength(1);
    expect(left[0]?.[1]).toContain('"fresh"');
  });

  it('redis: a foreign XADD with only a payload field is delivered (interop)', async () => {
    const topic = randomTopic('foreign');
    const broker = await make();
    const got = new Collector<unknown>();
    await broker.subscribe(topic, got.handler);
    const entryId = await raw().xadd(keyPrefix + topic, '*', 'payload', '{"from":"outside"}');
    await got.until(1);
    expect(got.messages[0]?.value).toEqual({ from: 'outside' });
    expect(got.messages[0]?.key).toBeUndefined();
    // No message id on the entry: the entry id, which a redelivery keeps.
    expect(got.messages[0]?.id).toBe(entryId);
  });

  it('redis: a publish with default headers writes payload, key and id only; its id and content type are read back', async () => {
    const topic = randomTopic('compact');
    const broker = await make();
    const got = new Collector<unknown>();
    await broker.subscribe(topic, got.handler);
    await broker.publish(topic, { a: 1 }, { key: 'k1' });
    // A foreign producer using the same layout.
    await raw().xadd(keyPrefix + topic, '*', 'payload', '{"b":2}', 'id', 'f-1');
    await got.until(2);
    const entries = await raw().xrange(keyPrefix + topic, '-', '+');
    const fields = entries[0]![1];
    expect(fields).toEqual(['payload', '{"a":1}', 'key', 'k1', 'id', got.messages[0]!.id]);
    expect(got.messages[0]).toMatchObject({ value: { a: 1 }, key: 'k1' });
    expect(got.messages[0]!.headers).toEqual({
      'message-id': got.messages[0]!.id,
      'content-type': 'application/json',
    });
    expect(got.messages[1]).toMatchObject({
      id: 'f-1',
      value: { b: 2 },
      headers: { 'message-id': 'f-1', 'content-type': 'application/json' },
    });
  });

  it('redis: the publishes of one turn reach the socket as one write (not auto-pipelined), in order', async () => {
    for (const mode of ['streams', 'pubsub'] as const) {
      const topic = randomTopic(`turn-${mode}`);
      const broker = await make({ mode });
      const got = new Collector<{ i: number }>();
      await broker.subscribe(topic, got.handler);
      const socket = (broker.native() as Redis).stream;
      // What reaches the socket's own write (after any holding of ours), one entry per write.
      const writes: string[] = [];
      const write = socket._write.bind(socket);
      const writev = socket._writev?.bind(socket);
      socket._write = (chunk, encoding, done) => {
        writes.push(String(chunk));
        write(chunk, encoding, done);
      };
      socket._writev = (chunks, done) => {
        writes.push(chunks.map((c) => String(c.chunk)).join(''));
        writev?.(chunks, done);
      };
      try {
        await Promise.all(Array.from({ length: 20 }, (_, i) => broker.publish(topic, { i }, { key: 'k' })));
      } finally {
        socket._write = write;
        socket._writev = writev;
      }
      const command = mode === 'streams' ? '$4\r\nxadd\r\n' : '$7\r\npublish\r\n';
      expect(writes.length).toBe(1);
      expect(writes[0]!.split(command).length - 1).toBe(20);
      await got.until(20);
      expect(got.messages.map((m) => m.value.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    }
  });

  it('redis pubsub: default headers travel in an RTM3 frame; RTM2 frames, a key with a newline and bare payloads are read too', async () => {
    const topic = randomTopic('frames');
    const broker = await make({ mode: 'pubsub' });
    const got = new Collector<unknown>();
    await broker.subscribe(topic, got.handler);
    const listener = raw();
    const frames: string[] = [];
    listener.on('message', (_c: string, m: string) => frames.push(m));
    await listener.subscribe(keyPrefix + topic);
    await broker.publish(topic, { n: 1 }, { key: 'k 1' });
    await broker.publish(topic, { n: 2 }, { key: 'line\nbreak' });
    await broker.publish(topic, { n: 3 }, { headers: { traceparent: 'tp' } });
    // An earlier version's frame and a foreign bare publish.
    const old = `RTM2{"k":"k4","t":1234,"h":{"message-id":"m-4","content-type":"application/json"}}\n{"n":4}`;
    await raw().publish(keyPrefix + topic, old);
    await raw().publish(keyPrefix + topic, '{"n":5}');
    await got.until(5);
    const byN = new Map(got.messages.map((m) => [(m.value as { n: number }).n, m]));
    const first = byN.get(1)!;
    expect(frames[0]).toBe(`RTM3${first.timestamp} ${first.id} k 1\n{"n":1}`);
    expect(first.key).toBe('k 1');
    expect(first.headers).toEqual({ 'message-id': first.id, 'content-type': 'application/json' });
    expect(frames[1]?.startsWith('RTM2')).toBe(true);
    expect(byN.get(2)).toMatchObject({ key: 'line\nbreak', headers: { 'content-type': 'application/json' } });
    expect(byN.get(2)!.headers['message-id']).toBe(byN.get(2)!.id);
    expect(frames[2]?.startsWith('RTM2')).toBe(true);
    expect(byN.get(3)!.headers).toMatchObject({ traceparent: 'tp', 'content-type': 'application/json' });
    expect(byN.get(4)).toMatchObject({ id: 'm-4', key: 'k4', timestamp: 1234 });
    expect(byN.get(5)).toMatchObject({ key: undefined, headers: {} });
  });

  it('redis: entries carry payload, key and one JSON headers field, readable by any client (wire contract)', async () => {
    const topic = randomTopic('wire');
    const broker = await make();
    await broker.publish(topic, { a: 1 }, { key: 'k1', headers: { traceparent: 'tp-1' } });
    const entries = await raw().xrange(keyPrefix + topic, '-', '+');
    expect(entries).toHaveLength(1);
    const fields = entries[0]![1];
    const byName = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) byName.set(fields[i]!, fields[i + 1]!);
    expect([...byName.keys()].sort()).toEqual(['headers', 'key', 'payload']);
    expect(JSON.parse(byName.get('payload')!)).toEqual({ a: 1 });
    expect(byName.get('key')).toBe('k1');
    const headers = JSON.parse(byName.get('headers')!) as Record<string, string>;
    expect(headers).toMatchObject({ 'content-type': 'application/json', traceparent: 'tp-1' });
    expect(headers['message-id']).toMatch(/.+/);
  });

  it('redis: a foreign XADD with a headers field, or with h:<name> and ts fields, is read with its headers', async () => {
    const topic = randomTopic('foreignh');
    const broker = await make();
    const got = new Collector<unknown>();
    await broker.subscribe(topic, got.handler);
    const client = raw();
    await client.xadd(
      keyPrefix + topic,
      '*',
      'payload',
      '1',
      'headers',
      '{"Message-Id":"f-1","x-n":"1","bad":2}',
    );
    await client.xadd(
      keyPrefix + topic,
      '*',
      'payload',
      '2',
      'key',
      'k',
      'h:message-id',
      'f-2',
      'ts',
      '1234',
    );
    await got.until(2);
    expect(got.messages[0]).toMatchObject({
      id: 'f-1',
      value: 1,
      headers: { 'message-id': 'f-1', 'x-n': '1' },
    });
    expect(got.messages[0]?.headers).not.toHaveProperty('bad');
    expect(got.messages[1]).toMatchObject({ id: 'f-2', value: 2, key: 'k', timestamp: 1234 });
  });

  it('redis: a fan-out from a past time gets exactly what was stored since, caughtUp, then live messages', async () => {
    const topic = randomTopic('replay');
    const key = keyPrefix + topic;
    const broker = await make();
    const client = raw();
    expect(broker.capabilities.replay).toBe(true);
    for (let n = 0; n < 5; n++) await broker.publish(topic, n, { key: `k${n % 2}` });
    const [lastEarly] = (await client.xrevrange(key, '+', '-', 'COUNT', 1)) as [string, string[]][];
    const earlyMs = Number(lastEarly?.[0].split('-')[0]);
    // Entry ids are the server's clock: wait until it has moved past the early entries' millisecond.
    const redisMs = async () => {
      const [s, us] = await client.time();
      return Number(s) * 1000 + Math.floor(Number(us) / 1000);
    };
    const deadline = Date.now() + 20_000;
    while ((await redisMs()) <= earlyMs) {
      if (Date.now() > deadline) throw new Error('the Redis clock did not move on');
    }
    for (let n = 5; n < 10; n++) await broker.publish(topic, n, { key: `k${n % 2}` });
    const got = new Collector<number>();
    const sub = await broker.subscribe(topic, got.handler, { from: { time: earlyMs + 1 }, maxInFlight: 4 });
    expect(sub.caughtUp).toBeDefined();
    await sub.caughtUp;
    expect(got.values().sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9]);
    await broker.publish(topic, 10);
    await got.until(6, 'a live message after the history', 20_000);
    expect(got.values().sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it('redis: from starts at the first entry stored at or after the time; a group that exists keeps its position', async () => {
    const topic = randomTopic('replay-ids');
    const key = keyPrefix + topic;
    const client = raw();
    // Explicit ids (= storage times): the boundary entry `2000-0` is in, everything of ms 1999 out.
    for (const id of ['1000-0', '1999-0', '1999-7', '2000-0', '2000-1', '3000-0'])
      await client.xadd(key, id, 'payload', JSON.stringify(id));
    const broker = await make();
    const fanout = new Collector<string>();
    const sub = await broker.subscribe(topic, fanout.handler, { from: { time: 2000 } });
    await sub.caughtUp;
    expect(fanout.values()).toEqual(['2000-0', '2000-1', '3000-0']);
    // A new group starts at `from` too (as on Kafka and JetStream)...
    const group = new Collector<string>();
    const member = await broker.subscribe(topic, group.handler, { group: 'rebuild', from: { time: 2500 } });
    await member.caughtUp;
    expect(group.values()).toEqual(['3000-0']);
    await member.close();
    // ...but one that already has a position keeps it: caught up at once, no history again.
    const again = new Collector<string>();
    const rejoined = await broker.subscribe(topic, again.handler, { group: 'rebuild', from: { time: 0 } });
    await rejoined.caughtUp;
    await client.xadd(key, '4000-0', 'payload', '"4000-0"');
    await again.until(1, 'the live entry', 20_000);
    expect(again.values()).toEqual(['4000-0']);
    // From a time after everything stored: nothing to replay, caught up at once.
    const late = new Collector<string>();
    const after = await broker.subscribe(topic, late.handler, { from: { time: 9_000 } });
    await after.caughtUp;
    expect(late.count).toBe(0);
  });

  it('redis: a retried message bumps the server-side delivery count', async () => {
    const topic = randomTopic('count');
    const broker = await make();
    const client = raw();
    const attempts: number[] = [];
    let counted = -1;
    await broker.subscribe(
      topic,
      async (m) => {
        attempts.push(m.attempt);
        if (m.attempt < 3) throw new Error('again');
        const row = (await client.xpending(keyPrefix + topic, 'g', '-', '+', 1)) as [
          string,
          string,
          number,
          number,
        ][];
        counted = Number(row[0]?.[3]);
      },
      { group: 'g', policy: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 10 } },
    );
    await broker.publish(topic, 'x');
    await waitFor(() => counted !== -1, 'the third attempt');
    expect(attempts).toEqual([1, 2, 3]);
    expect(counted).toBe(3);
  });

  it('redis: pubsub mode has no groups and streams mode no wildcards (typed errors)', async () => {
    const pubsub = await make({ mode: 'pubsub' });
    await expect(pubsub.subscribe(randomTopic('g'), () => {}, { group: 'g' })).rejects.toMatchObject({
      code: 'TRANSPORT_UNSUPPORTED',
    });
    const streams = await make();
    await expect(streams.subscribe(`${randomTopic('w')}.*`, () => {})).rejects.toMatchObject({
      code: 'TRANSPORT_UNSUPPORTED',
    });
    expect(pubsub.capabilities).toEqual(capabilitiesByMode.pubsub);
    expect(pubsub.capabilities.persistent).toBe(false);
    expect(streams.capabilities.persistent).toBe(true);
  });

  it('redis: options are validated, every problem at once', () => {
    expect(() =>
      createRedisBroker({ url: 'http://x', claimIdleMs: -1, trim: { maxLen: 1, maxAgeMs: 1 } }),
    ).toThrowError(/url must start with redis.*claimIdleMs must be a positive integer.*not both/);
  });

  it('redis: streams subscription recovers after a server restart (group recreated)', async () => {
    const topic = randomTopic('restart');
    const broker = await make();
    const statuses: string[] = [];
    broker.onStatus((s) => statuses.push(s.type));
    const got = new Set<number>();
    await broker.subscribe<number>(
      topic,
      (m) => {
        got.add(m.value);
      },
      { group: 'restart', maxInFlight: 8 },
    );
    for (let i = 0; i < 100; i++) await broker.publish(topic, i);
    await waitFor(() => got.size >= 100, 'the messages before the restart');
    await restartRedis();
    await waitFor(
      () => broker.status.type === 'connected' && statuses.includes('reconnecting'),
      'the reconnect',
      20_000,
    );
    // The restart emptied Redis: the subscription must recreate its group and read what comes next.
    for (let i = 100; i < 200; i++) await broker.publish(topic, i);
    await waitFor(() => got.size >= 200, `the messages after the restart (have ${got.size})`, 20_000);
    expect([...got].sort((a, b) => a - b)).toEqual([...Array(200).keys()]);
    const groups = (await raw().xinfo('GROUPS', keyPrefix + topic)) as unknown[][];
    expect(groups.map((g) => g[1])).toContain('restart');
  }, 60_000);
});
