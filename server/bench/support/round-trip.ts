/**
 * Shared by the Redis and RabbitMQ benchmarks: a small position-like sample, a publish pool with at
 * most `window` publishes awaiting their reply, a recorder of publish-to-handler latency, the run of
 * our broker's side, and the printed comparison.
 */
import { performance } from 'node:perf_hooks';
import type { Broker, SubscribeOptions } from '../../src/transport/broker.ts';

export interface Sample {
  readonly sent: number;
  readonly i: number;
  readonly veh: string;
  readonly lat: number;
  readonly lon: number;
}
export interface Result {
  readonly msgsPerSec: number;
  readonly p50: number;
  readonly p99: number;
  /** This process's CPU time (user + system) per message, in µs: steadier than msg/s on a busy machine. */
  readonly cpuUs: number;
}

export const sample = (i: number): Sample => ({
  sent: performance.now(),
  i,
  veh: `0022/0${1000 + (i % 500)}`,
  lat: 60.17 + (i % 100) / 1e4,
  lon: 24.94 + (i % 100) / 1e4,
});

async function pool(n: number, window: number, send: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (next < n) await send(next++);
    }),
  );
}

export class Recorder {
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
  /** The last key and id a raw consumer read (kept, so reading them is real work). */
  lastKey: string | undefined;
  lastId: string | undefined;

  /**
   * Records a received JSON-encoded Sample (what the raw clients get), with the key and id the raw
   * consumer read beside it, as our handlers get them on the Message.
   */
  recordJson(text: string, key?: string, id?: string): void {
    this.record((JSON.parse(text) as Sample).sent);
    this.lastKey = key;
    this.lastId = id;
  }
  result(elapsedMs: number, cpuMicros = 0): Result {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return {
      msgsPerSec: (this.n / elapsedMs) * 1000,
      p50: at(0.5),
      p99: at(0.99),
      cpuUs: cpuMicros / this.n,
    };
  }
}

/**
 * Publishes `rec.n` messages with `send(i)`, at most `window` awaiting their reply, and waits for the
 * handler to record them all; times the whole (wall clock and this process's CPU).
 */
export async function timed(
  rec: Recorder,
  window: number,
  send: (i: number) => Promise<unknown>,
): Promise<Result> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await pool(rec.n, window, send);
  await rec.done;
  const cpu = process.cpuUsage(cpu0);
  return rec.result(performance.now() - t0, cpu.user + cpu.system);
}

/** One result line: throughput, latency, CPU per message. */
export const formatResult = (r: Result): string =>
  `${Math.round(r.msgsPerSec).toLocaleString('en')} msg/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  cpu ${r.cpuUs.toFixed(1)} µs/msg`;

/** The best round (highest msg/s). */
const best = (rs: readonly Result[]): Result => rs.reduce((a, b) => (b.msgsPerSec > a.msgsPerSec ? b : a));

/**
 * Our side of a round: `n` samples published on `topic` (at most `window` awaiting their reply),
 * consumed by one subscription with `options`; closes the subscription and the broker.
 */
export async function brokerRound(
  broker: Broker,
  topic: string,
  n: number,
  window: number,
  options: SubscribeOptions<Sample>,
): Promise<Result> {
  await broker.connect();
  const rec = new Recorder(n);
  const sub = await broker.subscribe<Sample>(topic, (m) => rec.record(m.value.sent), options);
  const r = await timed(rec, window, (i) => broker.publish(topic, sample(i), { key: `v${i % 500}` }));
  await sub.close();
  await broker.close();
  return r;
}

/**
 * Prints the heading, our best round, the raw client's best (`rawLabel`, 11 characters) and the
 * ratios of the two.
 */
export function printComparison(
  heading: string,
  rawLabel: string,
  oursRounds: readonly Result[],
  rawRounds: readonly Result[],
): void {
  const [ours, raw] = [best(oursRounds), best(rawRounds)];
  console.log(heading);
  console.log(`  backend     ${formatResult(ours)}`);
  console.log(`  ${rawLabel} ${formatResult(raw)}`);
  console.log(
    `  ratio       ${(ours.msgsPerSec / raw.msgsPerSec).toFixed(2)}x (target >= 0.85x); cpu per message ${(ours.cpuUs / raw.cpuUs).toFixed(2)}x the raw client's`,
  );
}
