/**
 * Shared by the Redis and RabbitMQ benchmarks: a small position-like sample, a publish pool with at
 * most `window` publishes awaiting their reply, and a recorder of publish-to-handler latency.
 */
import { performance } from 'node:perf_hooks';

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

export async function pool(n: number, window: number, send: (i: number) => Promise<unknown>): Promise<void> {
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

export async function timed(rec: Recorder, publishAll: () => Promise<void>): Promise<Result> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await publishAll();
  await rec.done;
  const cpu = process.cpuUsage(cpu0);
  return rec.result(performance.now() - t0, cpu.user + cpu.system);
}

/** One result line: throughput, latency, CPU per message. */
export const formatResult = (r: Result): string =>
  `${Math.round(r.msgsPerSec).toLocaleString('en')} msg/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  cpu ${r.cpuUs.toFixed(1)} µs/msg`;
