/**
 * Gateway fan-out: 3,000 positions/s in, 5,000 WebSocket clients each viewing about a tenth of the
 * city. Load comes from separate processes: one position source (NDJSON over TCP, so a position
 * "enters the server" when the server reads it) and BENCH_PROCS client processes (raw RFC 6455
 * clients, niced so that on a small machine the load does not take CPU the server needs; whether they
 * kept up is reported: updates they read, their read lag, coalesced ticks). Our gateway (per-cell
 * batches encoded once, binary, ticks spread over client groups) beside a naive one (each position
 * JSON-encoded and sent to every client that sees it), same run.
 * Figures: server CPU, CPU per delivered update and the ratio, p99 entry->frame latency: from the
 * source's send time (so waiting in the server's socket counts) to the gateway writing the frame to the
 * socket (per frame, its oldest position), peak RSS.
 * Knobs: BENCH_CLIENTS (5000), BENCH_RATE (3000), BENCH_SECONDS (15), BENCH_PROCS (2),
 * BENCH_NICE (10: niceness of the client processes), BENCH_ONLY (ours|naive), BENCH_TICK_GROUPS (the
 * gateway's default unless set; 1 = every client on one tick), BENCH_PROFILE (a
 * directory: a CPU profile of the server over each measured window).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { loadavg, setPriority } from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { VehiclePosition } from '@realtimemap/shared';
import pino from 'pino';
import { buildGateway } from '../src/gateway/gateway.ts';
import { VehicleStore } from '../src/state/vehicle-store.ts';
import { buildNaiveGateway } from './gateway-naive.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 5000);
const RATE = Number(process.env.BENCH_RATE ?? 3000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const PROCS = Number(process.env.BENCH_PROCS ?? 2);
const NICE = Number(process.env.BENCH_NICE ?? 10);
const ONLY = process.env.BENCH_ONLY;
const TICK_GROUPS = process.env.BENCH_TICK_GROUPS ? Number(process.env.BENCH_TICK_GROUPS) : undefined;
const VEHICLES = RATE; // HFP: one position per vehicle per second
const TICK_MS = 200;
const CITY = [24.7, 60.12, 25.2, 60.3] as const;
const here = (file: string) => new URL(file, import.meta.url).pathname;

/** Waits for the first message of `type` from `child` (sending `send` first, if given). */
function ask<T>(child: ChildProcess, type: string, send?: string): Promise<T> {
  return new Promise<T>((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type === type) {
        child.off('message', on);
        resolve(m as T);
      }
    };
    child.on('message', on);
    if (send) child.send(send);
  });
}

// ---- the position source: a separate process writing NDJSON positions to our TCP listener ----
async function startSource(apply: (p: VehiclePosition, sentAt: number) => void) {
  let received = 0;
  let stopped = false;
  const listener = createTcpServer((socket) => {
    let rest = '';
    socket.on('error', () => {});
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      if (stopped) return;
      const text = rest + chunk;
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        const space = text.indexOf(' ', from);
        apply(JSON.parse(text.slice(space + 1, nl)) as VehiclePosition, Number(text.slice(from, space)));
        received++;
        from = nl + 1;
      }
      rest = text.slice(from);
      // One chunk per turn of the event loop: left alone, a backlog is read 32 chunks at a time and
      // the gateway's timers wait for all of it.
      socket.pause();
      setImmediate(() => socket.resume());
    });
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const child = fork(here('./gateway-position-source.mjs'), {
    env: {
      ...process.env,
      PORT: String((listener.address() as AddressInfo).port),
      RATE: String(RATE),
      VEHICLES: String(VEHICLES),
      CITY: JSON.stringify(CITY),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  await ask(child, 'ready');
  // The whole fleet is in the store before clients connect (their snapshots show it).
  while (received < VEHICLES) await new Promise((r) => setTimeout(r, 10));
  return {
    received: () => received,
    go: () => child.send('go'),
    async stop() {
      stopped = true;
      child.send('stop');
      await new Promise((r) => child.once('exit', r));
      await new Promise((r) => listener.close(r));
    },
  };
}

// ---- load processes ----
interface LoadReport {
  frames: number;
  bytes: number;
  updates: number;
  closedByServer: number;
  lag: number[];
}
async function startLoad(url: string) {
  const children = Array.from({ length: PROCS }, (_, i) => {
    const child = fork(here('./gateway-load-client.mjs'), {
      env: {
        ...process.env,
        URL: url,
        COUNT: String(Math.ceil(CLIENTS / PROCS)),
        SEED: String(i + 1),
        CITY: JSON.stringify(CITY),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Plain JS: no tsx loader in the load processes.
      execArgv: [],
    });
    // Lower priority: the load stands in for clients on other machines.
    if (NICE > 0 && child.pid) setPriority(child.pid, NICE);
    return child;
  });
  const all = <T>(type: string, send?: string) => Promise.all(children.map((c) => ask<T>(c, type, send)));
  await all('ready');
  const opened = (await all<{ open: number }>('opened', 'open')).reduce((n, r) => n + r.open, 0);
  return {
    opened,
    report: async (): Promise<LoadReport> => {
      const rs = await all<LoadReport>('report', 'report');
      return rs.reduce((a, r) => ({
        frames: a.frames + r.frames,
        bytes: a.bytes + r.bytes,
        updates: a.updates + r.updates,
        closedByServer: a.closedByServer + r.closedByServer,
        lag: a.lag.map((n, i) => n + r.lag[i]!),
      }));
    },
    close: () => {
      for (const c of children) c.send('close');
      return Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
    },
  };
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
/** Percentile of a 1 ms histogram. */
const pctHist = (h: readonly number[], p: number) => {
  const total = h.reduce((a, b) => a + b, 0);
  if (total === 0) return Number.NaN;
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    seen += h[i]!;
    if (seen > (p / 100) * total) return i;
  }
  return h.length - 1;
};

interface Result {
  name: string;
  clients: number;
  positionsPerSec: number;
  cpuCores: number;
  sysShare: number;
  updatesPerSec: number;
  cpuUsPerUpdate: number;
  framesPerSec: number;
  bytesPerUpdate: number;
  p50: number;
  p99: number;
  peakRssMb: number;
  dropped: number;
  queuedFrames: number;
  clientUpdatesPerSec: number;
  clientLagP99: number;
  clientMBps: number;
  closedByServer: number;
  loopDelayP99: number;
  loopDelayMax: number;
  gcMaxMs: number;
  gcShare: number;
}

interface Target {
  /** `sentAt`: when the source sent it (Date.now(), same machine): latency counts from there. */
  apply(p: VehiclePosition, sentAt: number): void;
  /** Cumulative: updates delivered, frames, bytes, dropped (coalesced ticks or skipped sends), frames queued in user space. */
  counters(): { updates: number; frames: number; bytes: number; dropped: number; queued: number };
  latencies: number[];
  close(): Promise<void>;
}

async function phase(name: string, build: (server: HttpServer) => Promise<Target>): Promise<Result> {
  const server = createServer();
  const target = await build(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const begun = performance.now();
  const source = await startSource((p, sentAt) => target.apply(p, sentAt));
  const sourceS = (performance.now() - begun) / 1000;
  const connecting = performance.now();
  const load = await startLoad(`ws://127.0.0.1:${port}/ws`);
  const connectS = (performance.now() - connecting) / 1000;
  console.log(`  ${name}: ${load.opened} clients connected`);
  source.go();
  await new Promise((r) => setTimeout(r, 3000)); // warm-up: snapshots out, JIT warm
  target.latencies.length = 0;
  const c0 = target.counters();
  const a0 = source.received();
  const asking = performance.now();
  const l0 = await load.report();
  const reportS = (performance.now() - asking) / 1000;
  const profiler = process.env.BENCH_PROFILE ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  // Where a latency tail comes from: the event loop held up (and by the garbage collector how much).
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  let gcMaxMs = 0;
  let gcTotalMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMaxMs = Math.max(gcMaxMs, e.duration);
      gcTotalMs += e.duration;
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 250);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const cpu = process.cpuUsage(cpu0);
  loopDelay.disable();
  gc.disconnect();
  const wallUs = (performance.now() - t0) * 1000;
  const c1 = target.counters();
  const a1 = source.received();
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    const file = `${process.env.BENCH_PROFILE}/gateway-${name.split(' ')[0]}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    profiler.disconnect();
    console.log(`  profile: ${file}`);
  }
  const l1 = await load.report();
  clearInterval(sampler);
  const seconds = wallUs / 1e6;
  const cpuUs = cpu.user + cpu.system;
  const updates = c1.updates - c0.updates;
  const frames = c1.frames - c0.frames;
  const result: Result = {
    name,
    clients: load.opened,
    positionsPerSec: (a1 - a0) / seconds,
    cpuCores: cpuUs / wallUs,
    sysShare: cpu.system / Math.max(1, cpuUs),
    updatesPerSec: updates / seconds,
    cpuUsPerUpdate: cpuUs / Math.max(1, updates),
    framesPerSec: frames / seconds,
    bytesPerUpdate: (c1.bytes - c0.bytes) / Math.max(1, updates),
    p50: pct(target.latencies, 50),
    p99: pct(target.latencies, 99),
    peakRssMb: peakRss / 2 ** 20,
    dropped: c1.dropped - c0.dropped,
    queuedFrames: (c1.queued - c0.queued) / Math.max(1, frames),
    clientUpdatesPerSec: (l1.updates - l0.updates) / seconds,
    clientLagP99: pctHist(
      l1.lag.map((n, i) => n - l0.lag[i]!),
      99,
    ),
    clientMBps: (l1.bytes - l0.bytes) / seconds / 2 ** 20,
    closedByServer: l1.closedByServer,
    loopDelayP99: loopDelay.percentile(99) / 1e6,
    loopDelayMax: loopDelay.max / 1e6,
    gcMaxMs,
    gcShare: gcTotalMs / (wallUs / 1000),
  };
  printRow(result);
  const closing = performance.now();
  await source.stop();
  await load.close();
  await target.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  console.log(
    `  (${name}: fleet in ${fmt(sourceS, 0)} s, clients connected in ${fmt(connectS, 0)} s, ` +
      `load report ${fmt(reportS, 1)} s, shutdown ${fmt((performance.now() - closing) / 1000, 0)} s)`,
  );
  return result;
}

async function ours(server: HttpServer): Promise<Target> {
  // The store stamps a position's arrival with its clock: while applying one, that is its send time.
  let sentAt: number | undefined;
  const store = new VehicleStore({
    clock: () => sentAt ?? Date.now(),
    staleMs: 60_000,
    removeMs: 180_000,
    trail: { maxLength: 200, maxAgeMs: 900_000 },
  });
  const latencies: number[] = [];
  const gw = buildGateway({
    store,
    logger: pino({ level: 'silent' }),
    clock: Date.now,
    feedMode: 'simulated',
    tickMs: TICK_MS,
    ...(TICK_GROUPS ? { tickGroups: TICK_GROUPS } : {}),
    highWaterBytes: 1 << 20,
    slowCloseMs: 60_000,
    maxFrameBytes: 4 << 20,
    maxClients: 100_000,
    origins: ['*'],
    onFrameLatency: (ms) => {
      if (latencies.length < 4_000_000) latencies.push(ms);
    },
  });
  server.on('upgrade', (req, socket, head) => {
    if (!gw.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await gw.start();
  return {
    apply: (p, at) => {
      sentAt = at;
      store.apply(p);
      sentAt = undefined;
    },
    counters: () => {
      const s = gw.stats();
      return {
        updates: s.updates,
        frames: s.frames,
        bytes: s.bytes,
        dropped: s.coalesced,
        queued: s.framesQueued,
      };
    },
    latencies,
    close: () => gw.stop(),
  };
}

async function naive(server: HttpServer): Promise<Target> {
  const gw = buildNaiveGateway(server);
  const latencies: number[] = [];
  return {
    apply: (p, sentAt) => {
      const before = gw.stats().sent;
      gw.onPosition(p);
      // One frame per position per client: the position's last frame left this long after it was sent.
      if (gw.stats().sent > before && latencies.length < 4_000_000) latencies.push(Date.now() - sentAt);
    },
    counters: () => {
      const s = gw.stats();
      return { updates: s.sent, frames: s.sent, bytes: s.bytes, dropped: s.dropped, queued: s.queued };
    },
    latencies,
    close: () => gw.close(),
  };
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
function printRow(r: Result): void {
  console.log(
    `  ${r.name}: clients ${r.clients}, positions in ${fmt(r.positionsPerSec, 0)}/s, server CPU ${fmt(r.cpuCores, 2)} cores (${fmt(r.sysShare * 100, 0)}% kernel), ` +
      `updates delivered ${fmt(r.updatesPerSec, 0)}/s, CPU ${fmt(r.cpuUsPerUpdate, 3)} µs/update, frames ${fmt(r.framesPerSec, 0)}/s, ` +
      `${fmt(r.bytesPerUpdate, 0)} B/update, latency p50 ${fmt(r.p50)} ms p99 ${fmt(r.p99)} ms, peak RSS ${fmt(r.peakRssMb, 0)} MB, ` +
      `dropped/coalesced ${r.dropped}, frames left queued in user space ${fmt(r.queuedFrames * 100, 2)}%\n` +
      `    clients (separate processes): read ${fmt(r.clientUpdatesPerSec, 0)} updates/s, ${fmt(r.clientMBps)} MB/s, ` +
      `read lag p99 ${fmt(r.clientLagP99, 0)} ms (serverTime in frame -> read), closed by server ${r.closedByServer}\n` +
      `    server event loop delay p99 ${fmt(r.loopDelayP99)} ms max ${fmt(r.loopDelayMax)} ms; GC ${fmt(r.gcShare * 100)}% of the time, longest pause ${fmt(r.gcMaxMs)} ms`,
  );
}
const started = performance.now();
console.log(
  `gateway fan-out: ${RATE} positions/s, ${CLIENTS} clients in ${PROCS} processes (nice ${NICE}), ${SECONDS} s measured per gateway, tick ${TICK_MS} ms, load average ${loadavg()[0]!.toFixed(1)}`,
);
const results: Result[] = [];
if (ONLY !== 'naive') results.push(await phase('ours (cells, binary, per tick)', ours));
if (ONLY !== 'ours') results.push(await phase('naive (JSON per position)', naive));
const [a, b] = results as [Result, Result];
if (results.length === 2) {
  console.log(`\nCPU per delivered update, naive / ours: ${fmt(b.cpuUsPerUpdate / a.cpuUsPerUpdate, 1)}x`);
}
if (ONLY !== 'naive') {
  console.log(
    `targets (ours): ${RATE} positions/s in: ${a.positionsPerSec >= RATE * 0.97 ? 'yes' : 'NO'}; CPU < 1 core: ${a.cpuCores < 1 ? 'yes' : 'NO'}; p99 <= tick + 20 ms (${TICK_MS + 20}): ${a.p99 <= TICK_MS + 20 ? 'yes' : 'NO'}; RSS < 400 MB: ${a.peakRssMb < 400 ? 'yes' : 'NO'}`,
  );
}
console.log(
  `total run ${fmt((performance.now() - started) / 1000, 0)} s, load average now ${loadavg()[0]!.toFixed(1)}`,
);
process.exit(0);
