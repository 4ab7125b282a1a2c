/**
 * A small publish-to-handler throughput harness for transport benchmarks. A "pipe" is one way of
 * moving a message from a publisher to a handler (our broker, or a raw client doing the same work);
 * the harness pushes N messages through it with a bounded number of publishes in flight and reports
 * messages/s and p50/p99 publish-to-handler latency.
 *
 * To add a backend: write two PipeFactory functions (ours + the raw client) and call
 * `compare(...)` from a `bench/transport-<name>.bench.ts` script.
 */
import { performance } from 'node:perf_hooks';

export interface Pipe {
  /** Publishes message `seq` carrying `sentAt` (performance.now()); resolves when the backend took it. */
  send(seq: number, sentAt: number): Promise<void>;
  close(): Promise<void>;
}

/** Builds a pipe whose handler calls `deliver(seq, sentAt)` for every message it receives. */
export type PipeFactory = (deliver: (seq: number, sentAt: number) => void) => Promise<Pipe>;

export interface RunOptions {
  readonly messages: number;
  /** Publishes in flight at once (default 100). */
  readonly window?: number;
  /** Messages sent first and not measured (default 1,000). */
  readonly warmup?: number;
  /** Give up after this long (default 30 s). */
  readonly timeoutMs?: number;
}

export interface Result {
  readonly name: string;
  readonly messages: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /**
   * This process's CPU time (user + system) per message over the whole run, warm-up included: less
   * sensitive to other load on the machine than msg/s (work done outside the process, such as a
   * broker server's, is not in it).
   */
  readonly cpuMicrosPerMessage: number;
}

export async function measure(name: string, factory: PipeFactory, options: RunOptions): Promise<Result> {
  const window = options.window ?? 100;
  const warmup = options.warmup ?? 1_000;
  const total = warmup + options.messages;
  const latencies = new Float64Array(options.messages);
  let received = 0;
  let measured = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  const cpuStart = process.cpuUsage();
  const pipe = await factory((seq, sentAt) => {
    received++;
    if (seq >= warmup && measured < latencies.length) latencies[measured++] = performance.now() - sentAt;
    if (received === total) done();
  });
  let started = 0;
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const seq = next++;
      if (seq === warmup) started = performance.now();
      await pipe.send(seq, performance.now());
    }
  };
  const timeoutMs = options.timeoutMs ?? 30_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name}: ${received}/${total} after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([Promise.all([...Array(window)].map(worker)).then(() => finished), timeout]);
  } finally {
    clearTimeout(timer);
    await pipe.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const sorted = Array.from(latencies.subarray(0, measured)).sort((a, b) => a - b);
  const pick = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return {
    name,
    messages: options.messages,
    seconds,
    perSecond: options.messages / seconds,
    p50Ms: pick(0.5),
    p99Ms: pick(0.99),
    cpuMicrosPerMessage: (cpu.user + cpu.system) / total,
  };
}

/**
 * Runs ours and the baseline `rounds` times, alternating (so drift hits both), keeps each one's best
 * round, prints both and the ratio; returns the ratio ours/baseline. `references` are measured and
 * printed alongside for context (e.g. the raw client with some of our extra work) but never enter the
 * ratio.
 */
export async function compare(
  title: string,
  ours: { name: string; factory: PipeFactory },
  baseline: { name: string; factory: PipeFactory },
  options: RunOptions & {
    rounds?: number;
    target?: number;
    references?: readonly { name: string; factory: PipeFactory }[];
  },
): Promise<number> {
  const best = new Map<string, Result>();
  const references = options.references ?? [];
  for (let r = 0; r < (options.rounds ?? 2); r++) {
    for (const c of [baseline, ...references, ours]) {
      const result = await measure(c.name, c.factory, options);
      const prev = best.get(c.name);
      if (!prev || result.perSecond > prev.perSecond) best.set(c.name, result);
    }
  }
  const o = best.get(ours.name)!;
  const b = best.get(baseline.name)!;
  const ratio = o.perSecond / b.perSecond;
  console.log(
    `\n${title} (${options.messages} messages, window ${options.window ?? 100}, best of ${options.rounds ?? 2})`,
  );
  for (const x of [b, ...references.map((c) => best.get(c.name)!), o]) {
    console.log(
      `  ${x.name.padEnd(34)} ${Math.round(x.perSecond).toString().padStart(9)} msg/s   p50 ${x.p50Ms.toFixed(2)} ms   p99 ${x.p99Ms.toFixed(2)} ms   cpu ${x.cpuMicrosPerMessage.toFixed(2)} us/msg`,
    );
  }
  const target = options.target ?? 0.85;
  console.log(
    `  ratio ours/baseline: ${ratio.toFixed(2)}x (target >= ${target}x) ${ratio >= target ? 'OK' : 'BELOW TARGET'}`,
  );
  return ratio;
}
