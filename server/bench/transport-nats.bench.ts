/**
 * NATS backend vs the raw @nats-io v3 client doing the same work, in the same run, on 127.0.0.1:4222.
 * Work: small JSON messages, at most WINDOW publishes awaiting their confirmation at once
 * (JetStream: PubAck; core: a flush round trip), consumed by one subscriber that parses each message
 * and acks it (JetStream). Figures: throughput (first publish to last handler) and p50/p99
 * publish-to-handler latency. Rounds alternate backend/raw; the best round of each is reported.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection, headers as natsHeaders } from '@nats-io/transport-node';
import { createNatsBroker } from '../src/transport/backends/nats/index.ts';
import type { Message } from '../src/transport/message.ts';

const URL = '127.0.0.1:4222';
const N_JETSTREAM = Number(process.env.BENCH_N ?? 5_000);
const N_CORE = Number(process.env.BENCH_N ?? 10_000);
const WINDOW = 256;
const ROUNDS = 3;
const ONLY = process.env.BENCH_ONLY;
const PREFIX = `rtmbench_${process.pid}`;

interface Sample {
  readonly sent: number;
  readonly i: number;
  readonly veh: string;
  readonly lat: number;
  readonly lon: number;
  readonly spd: number;
}

interface Result {
  readonly msgsPerSec: number;
  readonly p50: number;
  readonly p99: number;
}

const sample = (i: number): Sample => ({
  sent: performance.now(),
  i,
  veh: `0022/0${1000 + (i % 500)}`,
  lat: 60.17 + (i % 100) / 1e4,
  lon: 24.94 + (i % 100) / 1e4,
  spd: 8.5,
});

/** Runs `send(i)` for i < n with at most `window` in flight. */
async function pool(n: number, window: number, send: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (next < n) await send(next++);
    }),
  );
}

class Recorder {
  readonly latencies: number[] = [];
  #done!: () => void;
  readonly done = new Promise<void>((r) => {
    this.#done = r;
  });
  constructor(readonly n: number) {}
  record(sent: number): void {
    this.latencies.push(performance.now() - sent);
    if (this.latencies.length === this.n) this.#done();
  }
  result(elapsedMs: number): Result {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { msgsPerSec: (this.n / elapsedMs) * 1000, p50: at(0.5), p99: at(0.99) };
  }
}

async function timed(rec: Recorder, publishAll: () => Promise<void>): Promise<Result> {
  const t0 = performance.now();
  await publishAll();
  await rec.done;
  return rec.result(performance.now() - t0);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function backendJetStream(round: number): Promise<Result> {
  const topic = `rtm.bench.js.backend.${round}`;
  const broker = createNatsBroker({ servers: URL, streamPrefix: PREFIX });
  await broker.connect();
  const rec = new Recorder(N_JETSTREAM);
  const sub = await broker.subscribe<Sample>(topic, (m: Message<Sample>) => rec.record(m.value.sent), {
    maxInFlight: 64,
  });
  const r = await timed(rec, () =>
    pool(N_JETSTREAM, WINDOW, (i) => broker.publish(topic, sample(i), { key: `v${i % 500}` })),
  );
  await sub.close();
  await broker.close();
  return r;
}

/** `withHeaders`: the raw client also sends what the backend sends (message id as Nats-Msg-Id, content type, key). */
async function rawJetStream(nc: NatsConnection, round: number, withHeaders: boolean): Promise<Result> {
  const tag = withHeaders ? 'rawh' : 'raw';
  const topic = `rtm.bench.js.${tag}.${round}`;
  const stream = `${PREFIX}_${tag}_${round}`;
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: stream, subjects: [topic] });
  await jsm.consumers.add(stream, {
    name: 'bench',
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.New,
  });
  const js = jetstream(nc);
  const consumer = await js.consumers.get(stream, 'bench');
  const messages = await consumer.consume({ max_messages: 512 });
  const rec = new Recorder(N_JETSTREAM);
  void (async () => {
    for await (const m of messages) {
      rec.record((JSON.parse(decoder.decode(m.data)) as Sample).sent);
      m.ack();
    }
  })();
  const r = await timed(rec, () =>
    pool(N_JETSTREAM, WINDOW, async (i) => {
      const data = encoder.encode(JSON.stringify(sample(i)));
      if (!withHeaders) {
        await js.publish(topic, data);
        return;
      }
      const id = randomUUID();
      const h = natsHeaders();
      h.set('message-id', id);
      h.set('content-type', 'application/json');
      h.set('x-key', `v${i % 500}`);
      await js.publish(topic, data, { headers: h, msgID: id });
    }),
  );
  messages.stop();
  return r;
}

async function backendCore(round: number): Promise<Result> {
  const topic = `rtm.bench.core.backend.${round}`;
  const broker = createNatsBroker({ servers: URL, mode: 'core' });
  await broker.connect();
  const rec = new Recorder(N_CORE);
  const sub = await broker.subscribe<Sample>(topic, (m: Message<Sample>) => rec.record(m.value.sent), {
    maxInFlight: 64,
  });
  const r = await timed(rec, () =>
    pool(N_CORE, WINDOW, (i) => broker.publish(topic, sample(i), { key: `v${i % 500}` })),
  );
  await sub.close();
  await broker.close();
  return r;
}

async function rawCore(nc: NatsConnection, round: number): Promise<Result> {
  const topic = `rtm.bench.core.raw.${round}`;
  const rec = new Recorder(N_CORE);
  const sub = nc.subscribe(topic, {
    callback: (_err, m) => {
      rec.record((JSON.parse(decoder.decode(m.data)) as Sample).sent);
    },
  });
  await nc.flush();
  // Same confirmation as the backend: a publish counts once a flush (PING/PONG) after it returned.
  const r = await timed(rec, () =>
    pool(N_CORE, WINDOW, async (i) => {
      nc.publish(topic, encoder.encode(JSON.stringify(sample(i))));
      await nc.flush();
    }),
  );
  sub.unsubscribe();
  return r;
}

const fmt = (r: Result) =>
  `${Math.round(r.msgsPerSec).toLocaleString('en')} msg/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms`;
const best = (rs: Result[]) => rs.reduce((a, b) => (b.msgsPerSec > a.msgsPerSec ? b : a));

async function cleanup(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for await (const name of jsm.streams.names()) if (name.startsWith(PREFIX)) await jsm.streams.delete(name);
}

async function main(): Promise<void> {
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: URL, maxReconnectAttempts: 0 });
  } catch {
    console.log(`skip: nats-server not reachable on ${URL}`);
    return;
  }
  console.log(`nats backend vs raw @nats-io v3: window ${WINDOW}, best of ${ROUNDS} alternating rounds`);
  try {
    if (!ONLY || ONLY === 'jetstream') {
      const ours: Result[] = [];
      const bare: Result[] = [];
      const same: Result[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        bare.push(await rawJetStream(nc, round, false));
        same.push(await rawJetStream(nc, round, true));
        ours.push(await backendJetStream(round));
      }
      const [o, b, h] = [best(ours), best(bare), best(same)];
      console.log(`jetstream (${N_JETSTREAM.toLocaleString('en')} msgs, js.publish + pull consumer + ack)`);
      console.log(`  backend              ${fmt(o)}`);
      console.log(`  raw, bare            ${fmt(b)}`);
      console.log(`  raw, same headers    ${fmt(h)}`);
      console.log(`  ratio vs bare raw    ${(o.msgsPerSec / b.msgsPerSec).toFixed(2)}x (target >= 0.85x)`);
      console.log(`  ratio vs same-header ${(o.msgsPerSec / h.msgsPerSec).toFixed(2)}x`);
    }
    if (!ONLY || ONLY === 'core') {
      const ours: Result[] = [];
      const raw: Result[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        raw.push(await rawCore(nc, round));
        ours.push(await backendCore(round));
      }
      const [o, r] = [best(ours), best(raw)];
      console.log(`core (${N_CORE.toLocaleString('en')} msgs, publish + flush, subscription)`);
      console.log(`  backend              ${fmt(o)}`);
      console.log(`  raw                  ${fmt(r)}`);
      console.log(`  ratio                ${(o.msgsPerSec / r.msgsPerSec).toFixed(2)}x (target >= 0.85x)`);
    }
  } finally {
    await cleanup(nc);
    await nc.close();
  }
}

await main();
