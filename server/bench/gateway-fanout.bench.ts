/**
 * Gateway fan-out: 3,000 positions/s in, 5,000 WebSocket clients each viewing about a tenth of the
 * city, clients in separate processes. Our gateway (per-cell batches encoded once per tick, binary)
 * beside a naive one (each position JSON-encoded and sent to every client that sees it), same run.
 * Figures: server CPU, CPU per delivered update and the ratio, p99 entry->frame latency, peak RSS.
 * Knobs: BENCH_CLIENTS (5000), BENCH_RATE (3000), BENCH_SECONDS (15), BENCH_PROCS (4).
 */
import { fork } from 'node:child_process';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VehiclePosition } from '@realtimemap/shared';
import pino from 'pino';
import { buildGateway } from '../src/gateway/gateway.ts';
import { VehicleStore } from '../src/state/vehicle-store.ts';
import { buildNaiveGateway } from './gateway-naive.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 5000);
const RATE = Number(process.env.BENCH_RATE ?? 3000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const PROCS = Number(process.env.BENCH_PROCS ?? 4);
const VEHICLES = RATE; // HFP: one position per vehicle per second
const TICK_MS = 200;
const CITY = [24.7, 60.12, 25.2, 60.3] as const;

// ---- the fleet: VEHICLES buses wandering around the city, one position each per second ----
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const fleet: VehiclePosition[] = Array.from({ length: VEHICLES }, (_, i) => ({
  vehicleId: `0022/${String(i).padStart(5, '0')}`,
  operatorId: '0022',
  vehicleNumber: String(i).padStart(5, '0'),
  mode: i % 5 === 0 ? 'tram' : 'bus',
  eventType: 'vp',
  journeyType: 'journey',
  routeId: String(1000 + (i % 120)),
  line: String(i % 120),
  direction: 1,
  headsign: 'Rautatientori',
  startTime: '10:05',
  operatingDay: '2026-11-27',
  lat: CITY[1] + random() * (CITY[3] - CITY[1]),
  lon: CITY[0] + random() * (CITY[2] - CITY[0]),
  heading: 90,
  speed: 9.5,
  acceleration: 0,
  delay: 30,
  odometer: 1000,
  doorsOpen: false,
  occupancy: 0,
  eventTime: Date.now(),
  source: 'GPS',
  nextStop: '1020453',
  stop: null,
}));
let cursor = 0;
function nextPosition(): VehiclePosition {
  const v = fleet[cursor]!;
  cursor = (cursor + 1) % fleet.length;
  const moved: VehiclePosition = {
    ...v,
    lat: Math.min(CITY[3], Math.max(CITY[1], v.lat + (random() - 0.5) * 2e-4)),
    lon: Math.min(CITY[2], Math.max(CITY[0], v.lon + (random() - 0.5) * 4e-4)),
    eventTime: Math.max(Date.now(), v.eventTime + 1),
  };
  fleet[cursor === 0 ? fleet.length - 1 : cursor - 1] = moved;
  return moved;
}

/**
 * Feeds RATE positions/s into `apply` (10 ms steps). A gateway that cannot keep up does not get to
 * block the loop catching up: at most 50 ms of positions per step; `applied()` says what went in.
 */
function generate(apply: (p: VehiclePosition) => void): { stop(): void; applied(): number } {
  const t0 = performance.now();
  let emitted = 0;
  let applied = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - t0) / 1000) * RATE);
    const limit = Math.min(due, emitted + RATE / 20);
    for (; emitted < limit; emitted++, applied++) apply(nextPosition());
    emitted = due;
  }, 10);
  return { stop: () => clearInterval(timer), applied: () => applied };
}

// ---- load processes ----
interface LoadReport {
  frames: number;
  bytes: number;
  closedByServer: number;
}
async function startLoad(url: string) {
  const children = Array.from({ length: PROCS }, (_, i) =>
    fork(new URL('./gateway-load-client.mjs', import.meta.url).pathname, {
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
    }),
  );
  const ask = <T>(type: string, send?: string) =>
    Promise.all(
      children.map(
        (c) =>
          new Promise<T>((resolve) => {
            const on = (m: { type: string }) => {
              if (m.type === type) {
                c.off('message', on);
                resolve(m as T);
              }
            };
            c.on('message', on);
            if (send) c.send(send);
          }),
      ),
    );
  await ask('ready');
  console.log('  load processes ready');
  const opened = (await ask<{ open: number }>('opened', 'open')).reduce((n, r) => n + r.open, 0);
  return {
    opened,
    report: async (): Promise<LoadReport> => {
      const rs = await ask<LoadReport>('report', 'report');
      return rs.reduce(
        (a, r) => ({
          frames: a.frames + r.frames,
          bytes: a.bytes + r.bytes,
          closedByServer: a.closedByServer + r.closedByServer,
        }),
        {
          frames: 0,
          bytes: 0,
          closedByServer: 0,
        },
      );
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

interface Result {
  name: string;
  clients: number;
  positionsPerSec: number;
  cpuCores: number;
  updatesPerSec: number;
  cpuUsPerUpdate: number;
  framesPerSec: number;
  bytesPerUpdate: number;
  p50: number;
  p99: number;
  peakRssMb: number;
  dropped: number;
  clientMBps: number;
}

interface Target {
  apply(p: VehiclePosition): void;
  /** Cumulative: updates delivered, frames, bytes, dropped (coalesced ticks or skipped sends). */
  counters(): { updates: number; frames: number; bytes: number; dropped: number };
  latencies: number[];
  close(): Promise<void>;
}

async function phase(name: string, build: (server: HttpServer) => Promise<Target>): Promise<Result> {
  const server = createServer();
  const target = await build(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const load = await startLoad(`ws://127.0.0.1:${port}/ws`);
  console.log(`  ${name}: ${load.opened} clients connected`);
  const gen = generate((p) => target.apply(p));
  await new Promise((r) => setTimeout(r, 3000)); // warm-up: snapshots out, JIT warm
  target.latencies.length = 0;
  const c0 = target.counters();
  const a0 = gen.applied();
  const l0 = await load.report();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 250);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const cpu = process.cpuUsage(cpu0);
  const wallUs = (performance.now() - t0) * 1000;
  const c1 = target.counters();
  const l1 = await load.report();
  clearInterval(sampler);
  const positionsPerSec = (gen.applied() - a0) / SECONDS;
  gen.stop();
  const cpuUs = cpu.user + cpu.system;
  const updates = c1.updates - c0.updates;
  const result: Result = {
    name,
    clients: load.opened,
    positionsPerSec,
    cpuCores: cpuUs / wallUs,
    updatesPerSec: updates / SECONDS,
    cpuUsPerUpdate: cpuUs / Math.max(1, updates),
    framesPerSec: (c1.frames - c0.frames) / SECONDS,
    bytesPerUpdate: (c1.bytes - c0.bytes) / Math.max(1, updates),
    p50: pct(target.latencies, 50),
    p99: pct(target.latencies, 99),
    peakRssMb: peakRss / 2 ** 20,
    dropped: c1.dropped - c0.dropped,
    clientMBps: (l1.bytes - l0.bytes) / SECONDS / 2 ** 20,
  };
  printRow(result);
  await load.close();
  await target.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  return result;
}

async function ours(server: HttpServer): Promise<Target> {
  const store = new VehicleStore({
    clock: Date.now,
    staleMs: 60_000,
    removeMs: 180_000,
    trail: { maxLength: 200, maxAgeMs: 900_000 },
  });
  for (let i = 0; i < VEHICLES; i++) store.apply(nextPosition());
  const latencies: number[] = [];
  const gw = buildGateway({
    store,
    logger: pino({ level: 'silent' }),
    clock: Date.now,
    feedMode: 'simulated',
    tickMs: TICK_MS,
    highWaterBytes: 1 << 20,
    slowCloseMs: 60_000,
    maxFrameBytes: 4 << 20,
    maxClients: 100_000,
    origins: ['*'],
    onFrameLatency: (ms) => {
      if (latencies.length < 2_000_000) latencies.push(ms);
    },
  });
  server.on('upgrade', (req, socket, head) => {
    if (!gw.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await gw.start();
  return {
    apply: (p) => store.apply(p),
    counters: () => {
      const s = gw.stats();
      return { updates: s.updates, frames: s.frames, bytes: s.bytes, dropped: s.coalesced };
    },
    latencies,
    close: () => gw.stop(),
  };
}

async function naive(server: HttpServer): Promise<Target> {
  const gw = buildNaiveGateway(server);
  const latencies: number[] = [];
  return {
    apply: (p) => {
      const t = performance.now();
      const before = gw.stats().sent;
      gw.onPosition(p);
      // One frame per position per client: the position's last frame left this long after it entered.
      if (gw.stats().sent > before && latencies.length < 2_000_000) latencies.push(performance.now() - t);
    },
    counters: () => {
      const s = gw.stats();
      return { updates: s.sent, frames: s.sent, bytes: s.bytes, dropped: s.dropped };
    },
    latencies,
    close: () => gw.close(),
  };
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
function printRow(r: Result): void {
  console.log(
    `  ${r.name}: clients ${r.clients}, positions in ${fmt(r.positionsPerSec, 0)}/s, server CPU ${fmt(r.cpuCores, 2)} cores, ` +
      `updates delivered ${fmt(r.updatesPerSec, 0)}/s, CPU ${fmt(r.cpuUsPerUpdate, 3)} µs/update, frames ${fmt(r.framesPerSec, 0)}/s, ` +
      `${fmt(r.bytesPerUpdate, 0)} B/update, latency p50 ${fmt(r.p50)} ms p99 ${fmt(r.p99)} ms, peak RSS ${fmt(r.peakRssMb, 0)} MB, ` +
      `dropped/coalesced ${r.dropped}, clients read ${fmt(r.clientMBps)} MB/s`,
  );
}
const started = performance.now();
console.log(
  `gateway fan-out: ${RATE} positions/s, ${CLIENTS} clients in ${PROCS} processes, ${SECONDS} s measured per gateway, tick ${TICK_MS} ms, load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`,
);
const results = [
  await phase('ours (cells, binary, per tick)', ours),
  await phase('naive (JSON per position)', naive),
];
const [a, b] = results as [Result, Result];
console.log(`\nCPU per delivered update, naive / ours: ${fmt(b.cpuUsPerUpdate / a.cpuUsPerUpdate, 1)}x`);
console.log(
  `targets (ours): CPU < 1 core: ${a.cpuCores < 1 ? 'yes' : 'NO'}; p99 <= tick + 20 ms (${TICK_MS + 20}): ${a.p99 <= TICK_MS + 20 ? 'yes' : 'NO'}; RSS < 400 MB: ${a.peakRssMb < 400 ? 'yes' : 'NO'}`,
);
console.log(`total run ${fmt((performance.now() - started) / 1000, 0)} s`);
process.exit(0);
