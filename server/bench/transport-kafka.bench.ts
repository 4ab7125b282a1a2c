/**
 * Kafka backend vs raw kafkajs, same broker (127.0.0.1:9092), same messages, same run.
 *
 * Throughput: N messages (~200 B JSON, 200 keys) published in windows of W concurrent publishes,
 * consumed by one group member; messages per second from the first publish to the last handler call.
 *   backend: broker.publish() per message (coalesced by the backend's linger batching), subscribe()
 *   raw:     producer.send() of each window as one request (what a kafkajs user would write), and a
 *            consumer with eachMessage + autoCommit
 * Both producers are idempotent with acks=-1; both consumers handle one message at a time.
 * Latency: publish-to-handler p50/p99 at a paced rate (no queueing), one publish/send per message.
 *
 *   pnpm bench transport-kafka        (scripts/kafka.sh start first)
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type Consumer, Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { createKafkaBroker } from '../src/transport/backends/kafka/index.ts';
import type { Broker } from '../src/transport/broker.ts';
import { canConnect } from '../test/support/service.ts';

const BROKERS = ['127.0.0.1:9092'];
const N = 20_000;
const WINDOW = 1_000;
const PARTITIONS = 3;
const PACED = 400; // latency phase: messages, one every PACE_MS
const PACE_MS = 2;
const ROUNDS = 2;

interface Payload {
  readonly t: number;
  readonly i: number;
  readonly veh: string;
  readonly lat: number;
  readonly lon: number;
  readonly spd: number;
  readonly hdg: number;
  readonly route: string;
  readonly dl: number;
  readonly drst: number;
  readonly tst: string;
}

function payload(i: number): Payload {
  return {
    t: performance.now(),
    i,
    veh: `0022/0${1000 + (i % 200)}`,
    lat: 60.17 + (i % 97) / 1e4,
    lon: 24.94 + (i % 89) / 1e4,
    spd: 8.4,
    hdg: 181,
    route: '1055',
    dl: -12,
    drst: 0,
    tst: '2026-11-27T20:15:31.123Z',
  };
}

interface Result {
  readonly throughput: number;
  /** Node CPU (user + system) per message in the throughput phase: steadier than wall time on a busy machine. */
  readonly cpuUs: number;
  readonly p50: number;
  readonly p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

/** Resolves when `count` handler calls were seen (counted by `seen`), or fails after `ms`. */
async function until(seen: () => number, count: number, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (seen() < count) {
    if (Date.now() > deadline) throw new Error(`timed out with ${seen()} of ${count} messages`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

const kafka = new Kafka({ clientId: 'bench', brokers: BROKERS, logLevel: logLevel.NOTHING });

const created: string[] = [];

async function freshTopic(tag: string): Promise<string> {
  const topic = `bench.${tag}.${randomUUID().slice(0, 8)}`;
  created.push(topic);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
  return topic;
}

/** Counts a consumer's handler calls and, once `measuring`, records publish-to-handler latency. */
class Handled {
  count = 0;
  measuring = false;
  readonly latencies: number[] = [];
  seen(sentAt: number): void {
    this.count++;
    if (this.measuring) this.latencies.push(performance.now() - sentAt);
  }
}

/**
 * The two phases both sides run once their consumer is reading: throughput (N messages, `sendWindow`
 * publishing WINDOW of them from `i` at a time) and latency (PACED messages, `sendOne(i)` one every
 * PACE_MS, not awaited).
 */
async function phases(
  handled: Handled,
  sendWindow: (i: number) => Promise<unknown>,
  sendOne: (i: number) => void,
): Promise<Result> {
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < N; i += WINDOW) await sendWindow(i);
  await until(() => handled.count, N);
  const throughput = N / ((performance.now() - start) / 1000);
  const cpu = process.cpuUsage(cpu0);
  const cpuUs = (cpu.user + cpu.system) / N;
  handled.measuring = true;
  for (let i = 0; i < PACED; i++) {
    sendOne(i);
    await new Promise((r) => setTimeout(r, PACE_MS));
  }
  await until(() => handled.latencies.length, PACED);
  const latencies = handled.latencies.sort((a, b) => a - b);
  return { throughput, cpuUs, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function runBackend(): Promise<Result> {
  const opts = { brokers: BROKERS, partitions: PARTITIONS, maxWaitTimeMs: 100, heartbeatIntervalMs: 500 };
  const pub: Broker = createKafkaBroker(opts);
  const sub: Broker = createKafkaBroker(opts);
  await Promise.all([pub.connect(), sub.connect()]);
  try {
    const topic = await freshTopic('backend');
    const handled = new Handled();
    await sub.subscribe<Payload>(topic, (m) => handled.seen(m.value.t), { group: 'bench' });
    return await phases(
      handled,
      (i) =>
        Promise.all(
          Array.from({ length: WINDOW }, (_, j) =>
            pub.publish(topic, payload(i + j), { key: `k${(i + j) % 200}` }),
          ),
        ),
      (i) => void pub.publish(topic, payload(N + i), { key: `k${i % 200}` }),
    );
  } finally {
    await Promise.all([pub.close(), sub.close()]);
  }
}

async function runRaw(): Promise<Result> {
  const producer: Producer = kafka.producer({
    idempotent: true,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumer: Consumer = kafka.consumer({
    groupId: `bench-raw-${randomUUID()}`,
    maxWaitTimeInMs: 100,
    heartbeatInterval: 500,
  });
  await Promise.all([producer.connect(), consumer.connect()]);
  try {
    const topic = await freshTopic('raw');
    const handled = new Handled();
    await consumer.subscribe({ topic, fromBeginning: true });
    let joined!: () => void;
    const join = new Promise<void>((r) => {
      joined = r;
    });
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      eachMessage: async ({ message }) => {
        handled.seen((JSON.parse(message.value!.toString()) as Payload).t);
      },
    });
    await join;
    return await phases(
      handled,
      (i) => {
        const messages = Array.from({ length: WINDOW }, (_, j) => ({
          key: `k${(i + j) % 200}`,
          value: JSON.stringify(payload(i + j)),
          headers: { 'message-id': randomUUID(), 'content-type': 'application/json' },
        }));
        return producer.send({ topic, messages, acks: -1 });
      },
      (i) => {
        const m = { key: `k${i % 200}`, value: JSON.stringify(payload(N + i)) };
        void producer.send({ topic, messages: [m], acks: -1 });
      },
    );
  } finally {
    await Promise.all([producer.disconnect(), consumer.disconnect()]);
  }
}

const fmt = (r: Result) =>
  `${Math.round(r.throughput).toLocaleString('en-US').padStart(8)} msg/s   ${r.cpuUs.toFixed(1).padStart(5)} µs CPU/msg   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms`;

async function main(): Promise<void> {
  if (!(await canConnect(9092))) {
    const why = 'kafka not reachable on 127.0.0.1:9092 (scripts/kafka.sh start)';
    if (process.env.CI === 'true') throw new Error(why);
    console.log(`skipped: ${why}`);
    return;
  }
  const best = { backend: undefined as Result | undefined, raw: undefined as Result | undefined };
  const better = (a: Result | undefined, b: Result) => (!a || b.throughput > a.throughput ? b : a);
  // Alternate, so neither side always runs on a colder (or warmer) broker and JIT.
  for (let round = 1; round <= ROUNDS; round++) {
    const raw = await runRaw();
    console.log(`round ${round} raw kafkajs    ${fmt(raw)}`);
    const backend = await runBackend();
    console.log(`round ${round} kafka backend  ${fmt(backend)}`);
    best.raw = better(best.raw, raw);
    best.backend = better(best.backend, backend);
  }
  const ratio = best.backend!.throughput / best.raw!.throughput;
  console.log(
    `\n${N.toLocaleString('en-US')} messages, windows of ${WINDOW}, ${PARTITIONS} partitions, best of ${ROUNDS}`,
  );
  console.log(`raw kafkajs    ${fmt(best.raw!)}`);
  console.log(`kafka backend  ${fmt(best.backend!)}`);
  console.log(`throughput ratio backend/raw: ${ratio.toFixed(2)}x (target >= 0.85x)`);
  console.log(`CPU per message ratio backend/raw: ${(best.backend!.cpuUs / best.raw!.cpuUs).toFixed(2)}x`);
}

try {
  await main();
} finally {
  if (created.length > 0) {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: created }).catch(() => {});
    await admin.disconnect();
  }
}
