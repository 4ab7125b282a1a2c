/**
 * Scaled out through Kafka beside all-in-one in memory, in the same run.
 *
 * - kafka: this process publishes positions to Kafka as the ingest role does (batchingBroker: up to
 *   500 positions per message, 10 ms linger, 6 shards by vehicle; one idempotent producer, acks=-1)
 *   and two gateway processes (`realtimemap gateway --broker
 *   kafka`, spawned with tsx) consume them: store, trails, geofences, WebSocket fan-out.
 * - memory (baseline): the same serving half (serveGateway: store, geofences, gateway, HTTP) in this
 *   process on the in-memory broker, the all-in-one path minus its MQTT feed.
 *
 * Throughput: N positions published as fast as a window of W unacknowledged publishes allows; the
 * figure is N over the time until every gateway has applied all N (read from its /metrics).
 * Latency: R positions/s for S seconds; a WebSocket client per gateway watching a small viewport
 * records frame arrival minus the position's event time (set at publish): publish -> broker ->
 * store -> next tick -> socket. The tick (50 ms here) is in both paths; the difference is what the
 * scale-out adds. Positions come straight from this process, not through HFP + MQTT: the ingest's
 * parse + MQTT cost is `pnpm bench ingest-throughput`.
 *
 * The Kafka path runs twice: two gateway processes (the deployment), then one (a gateway's own
 * capacity, for the README's capacity note).
 *
 * Env: BENCH_POSITIONS (200000), BENCH_VEHICLES (5000), BENCH_WINDOW (10000), BENCH_RATE (2000),
 * BENCH_RATE_S (5), KAFKA_BROKERS (127.0.0.1:9092), BENCH_PATHS (memory,kafka2,kafka1: which to run),
 * BENCH_GATEWAY_NODE_ARGS (extra node flags for the gateways, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`). Target: >= 20,000 positions/s through Kafka.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { decodeServerMessage, encodeClientMessage, type VehiclePosition } from '@realtimemap/shared';
import pino from 'pino';
import { WebSocket } from 'ws';
import { batchingBroker } from '../src/cli/position-batcher.ts';
import { serveGateway } from '../src/cli/serve-gateway.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { createMemoryBroker } from '../src/transport/backends/memory/index.ts';
import type { Broker } from '../src/transport/broker.ts';
import { createBroker } from '../src/transport/create-broker.ts';
import type { Server } from '../src/transport/server.ts';
import { position } from '../test/support/position-fixture.ts';
import { canConnect } from '../test/support/service.ts';

const N = Number(process.env.BENCH_POSITIONS ?? 200_000);
const VEHICLES = Number(process.env.BENCH_VEHICLES ?? 5_000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 2_000);
const RATE_S = Number(process.env.BENCH_RATE_S ?? 5);
const KAFKA = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const TICK_MS = 50;
/** Extra node flags for the gateway processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const GATEWAY_NODE_ARGS = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** Which paths to run (default all): any of `memory`, `kafka2`, `kafka1`, comma-separated. */
const PATHS = new Set((process.env.BENCH_PATHS ?? 'memory,kafka2,kafka1').split(','));
const SERVER_DIR = fileURLToPath(new URL('../', import.meta.url));
/** A viewport of about 1.3% of the fleet: the latency client's load stays small. */
const WATCH: readonly [number, number, number, number] = [24.8, 60.15, 24.83, 60.17];

// ---- positions ------------------------------------------------------------------------------

/** Vehicles on a grid over Helsinki; each position of a vehicle a few metres from its last. */
class Fleet {
  readonly #last = new Float64Array(VEHICLES);
  #next = 0;

  position(): VehiclePosition {
    const i = this.#next++ % VEHICLES;
    const now = Date.now();
    const t = now > this.#last[i]! ? now : this.#last[i]! + 1;
    this.#last[i] = t;
    const number = String(i).padStart(5, '0');
    const col = i % 100;
    const row = Math.floor(i / 100) % 100;
    return position({
      vehicleId: `0022/${number}`,
      vehicleNumber: number,
      lat: 60.15 + row * 0.003 + (t % 1000) * 1e-7,
      lon: 24.8 + col * 0.003,
      eventTime: t,
    });
  }
}

// ---- publishing -------------------------------------------------------------------------------

/** Publishes `count` positions with at most WINDOW unacknowledged; resolves when all are acked. */
async function publishAll(broker: Broker, topic: string, fleet: Fleet, count: number): Promise<number> {
  const began = performance.now();
  let inFlight = 0;
  let failed: unknown;
  let wake: (() => void) | undefined;
  for (let i = 0; i < count; i++) {
    while (inFlight >= WINDOW) await new Promise<void>((r) => (wake = r));
    if (failed) throw failed;
    const p = fleet.position();
    inFlight++;
    broker.publish(topic, p, { key: p.vehicleId }).then(
      () => {
        inFlight--;
        wake?.();
      },
      (error: unknown) => {
        failed = error;
        inFlight--;
        wake?.();
      },
    );
  }
  while (inFlight > 0) await new Promise<void>((r) => (wake = r));
  if (failed) throw failed;
  return performance.now() - began;
}

/** Publishes at `rate`/s for `seconds` (in 10 ms slices). */
async function publishPaced(broker: Broker, topic: string, fleet: Fleet, rate: number, seconds: number) {
  const began = performance.now();
  let sent = 0;
  const total = rate * seconds;
  const pending: Promise<void>[] = [];
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - began) / 1000) * rate));
    for (; sent < due; sent++) {
      const p = fleet.position();
      pending.push(broker.publish(topic, p, { key: p.vehicleId }));
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(pending);
}

// ---- CPU split -------------------------------------------------------------------------------

/** The local Kafka broker's JVM (scripts/kafka.sh writes its pid), if running here. */
function kafkaPid(): number | undefined {
  try {
    const pid = Number(readFileSync(new URL('../../.kafka/kafka.pid', import.meta.url), 'utf8').trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** user+system CPU ms of a process (Linux /proc; clock ticks assumed 100/s). */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Busy and total CPU ms of the whole machine, all cores. */
function machineCpuMs(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((a, b) => a + b, 0) * 10;
    const idle = ((v[3] ?? 0) + (v[4] ?? 0)) * 10;
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

interface CpuSnapshot {
  readonly self: number;
  readonly gateways: readonly number[];
  readonly kafka: number;
  readonly machine: { busy: number; total: number };
}

interface CpuSplit {
  /** CPU seconds: this process (producer + in-process gateway), each gateway process, the broker. */
  readonly self: number;
  readonly gateways: readonly number[];
  readonly kafka: number;
  /** Everything else busy on the machine meanwhile (other work, the kernel's share not charged). */
  readonly other: number;
  /** Wall seconds x cores: the CPU there was. */
  readonly available: number;
}

function cpuSnapshot(gatewayPids: readonly number[]): CpuSnapshot {
  const u = process.cpuUsage();
  const k = kafkaPid();
  return {
    self: (u.user + u.system) / 1000,
    gateways: gatewayPids.map(processCpuMs),
    kafka: k === undefined ? 0 : processCpuMs(k),
    machine: machineCpuMs(),
  };
}

function cpuSplit(a: CpuSnapshot, b: CpuSnapshot): CpuSplit {
  const self = (b.self - a.self) / 1000;
  const gateways = b.gateways.map((g, i) => (g - a.gateways[i]!) / 1000);
  const kafka = (b.kafka - a.kafka) / 1000;
  const busy = (b.machine.busy - a.machine.busy) / 1000;
  const ours = self + kafka + gateways.reduce((x, y) => x + y, 0);
  return {
    self,
    gateways,
    kafka,
    other: Math.max(0, busy - ours),
    available: (b.machine.total - a.machine.total) / 1000,
  };
}

// ---- measuring --------------------------------------------------------------------------------

/** A WebSocket client on a small viewport: arrival time minus event time of every update. */
class LatencyClient {
  readonly samples: number[] = [];
  recording = false;
  readonly #ws: WebSocket;
  readonly open: Promise<void>;

  constructor(url: string) {
    this.#ws = new WebSocket(url);
    this.open = new Promise((resolve, reject) => {
      this.#ws.once('open', () => {
        this.#ws.send(encodeClientMessage({ type: 'viewport', bbox: WATCH, zoom: 15 }));
        resolve();
      });
      this.#ws.once('error', reject);
    });
    this.#ws.on('message', (data, isBinary) => {
      if (!this.recording) return;
      const now = Date.now();
      const m = decodeServerMessage(isBinary ? new Uint8Array(data as Buffer) : data.toString());
      if (m.type === 'batch') for (const u of m.updates) this.samples.push(now - u.eventTime);
    });
  }

  close(): void {
    this.#ws.terminate();
  }
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function appliedAt(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^rtm_state_positions_applied_total (\d+)/m.exec(text)?.[1] ?? 0);
}

async function waitApplied(read: () => Promise<number>, target: number, what: string): Promise<void> {
  let last = -1;
  let still = performance.now();
  for (;;) {
    const n = await read();
    if (n >= target) return;
    if (n !== last) {
      last = n;
      still = performance.now();
    } else if (performance.now() - still > 20_000) throw new Error(`${what}: stuck at ${n} of ${target}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface PathResult {
  readonly name: string;
  readonly publishRate: number;
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly samples: number;
  /** CPU seconds per process over the throughput phase, and the machine's busy share. */
  readonly cpu: CpuSplit;
}

interface Path {
  readonly name: string;
  readonly broker: Broker;
  readonly topic: string;
  readonly gatewayUrls: readonly string[];
  /** OS process ids of the gateways when they are separate processes (for the CPU split). */
  readonly gatewayPids: readonly number[];
  /** Positions applied, per gateway. */
  applied(): Promise<readonly number[]>;
}

async function measure(path: Path): Promise<PathResult> {
  const fleet = new Fleet();
  const base = await path.applied();
  // Warm-up: every vehicle once, so the gateways hold the fleet before the clock starts.
  await publishAll(path.broker, path.topic, fleet, VEHICLES);
  await Promise.all(
    path.gatewayUrls.map((_, i) =>
      waitApplied(async () => (await path.applied())[i]! - base[i]!, VEHICLES, `${path.name} warm-up`),
    ),
  );
  const start = await path.applied();
  const cpuBefore = cpuSnapshot(path.gatewayPids);
  const began = performance.now();
  const publishMs = await publishAll(path.broker, path.topic, fleet, N);
  await Promise.all(
    path.gatewayUrls.map((_, i) =>
      waitApplied(async () => (await path.applied())[i]! - start[i]!, N, `${path.name} gateway ${i + 1}`),
    ),
  );
  const elapsed = performance.now() - began;
  const cpu = cpuSplit(cpuBefore, cpuSnapshot(path.gatewayPids));

  const clients = path.gatewayUrls.map((u) => new LatencyClient(`${u.replace('http', 'ws')}/ws`));
  await Promise.all(clients.map((c) => c.open));
  await new Promise((r) => setTimeout(r, 500));
  for (const c of clients) c.recording = true;
  await publishPaced(path.broker, path.topic, fleet, RATE, RATE_S);
  await new Promise((r) => setTimeout(r, 1_000));
  for (const c of clients) {
    c.recording = false;
    c.close();
  }
  const samples = clients.flatMap((c) => c.samples).sort((a, b) => a - b);
  return {
    name: path.name,
    publishRate: N / (publishMs / 1000),
    throughput: N / (elapsed / 1000),
    p50: quantile(samples, 0.5),
    p99: quantile(samples, 0.99),
    samples: samples.length,
    cpu,
  };
}

// ---- the two paths -----------------------------------------------------------------------------

const quiet = pino({ level: 'silent' });

async function memoryPath(): Promise<{ path: Path; stop: () => Promise<void> }> {
  const config = loadConfig(
    ['start', '--port', '0', '--tick-ms', String(TICK_MS), '--style-url', 'offline', '--max-clients', '100'],
    {},
  );
  const broker = createMemoryBroker();
  await broker.connect();
  const serving = await serveGateway({
    config,
    logger: quiet,
    broker,
    feedMode: 'simulated',
    network: () => ({ type: 'FeatureCollection', features: [] }),
    evaluateGeofences: true,
  });
  const started: Server[] = [];
  for (const s of serving.servers) {
    await s.start();
    started.push(s);
  }
  const { port } = serving.address();
  const url = `http://127.0.0.1:${port}`;
  return {
    path: {
      name: 'all-in-one, memory broker',
      broker,
      topic: 'vehicle-positions',
      gatewayUrls: [url],
      gatewayPids: [],
      applied: async () => [serving.state.stats().applied],
    },
    stop: async () => {
      for (const s of started.reverse()) await s.stop();
      await broker.close();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function kafkaPath(count: number): Promise<{ path: Path; stop: () => Promise<void> }> {
  const prefix = `bench-${Date.now().toString(36)}-`;
  const topic = `${prefix}vehicle-positions`;
  // The ingest's publisher: positions batched per message (src/cli/position-batcher.ts).
  const broker = batchingBroker(await createBroker({ backend: 'kafka', url: KAFKA }), { topic });
  await broker.connect();
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  const gateways = ports.map((port) =>
    spawn(
      process.execPath,
      [
        ...GATEWAY_NODE_ARGS,
        '--import',
        'tsx',
        'src/cli/main.ts',
        'gateway',
        '--broker',
        'kafka',
        '--broker-url',
        KAFKA,
        '--topic-prefix',
        prefix,
        '--port',
        String(port),
        '--tick-ms',
        String(TICK_MS),
        '--rebuild-ms',
        '0',
        '--style-url',
        'offline',
        '--log-level',
        'warn',
      ],
      { cwd: SERVER_DIR, stdio: ['ignore', 'ignore', 'inherit'] },
    ),
  );
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  for (const u of urls) {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const ok = await fetch(`${u}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`gateway ${u} not ready`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    path: {
      name: `scaled out: Kafka -> ${count} gateway process${count > 1 ? 'es' : ''}`,
      broker,
      topic,
      gatewayUrls: urls,
      gatewayPids: gateways.map((g) => g.pid!),
      applied: () => Promise.all(urls.map(appliedAt)),
    },
    stop: async () => {
      for (const g of gateways) g.kill('SIGTERM');
      await Promise.all(gateways.map((g) => new Promise((r) => g.once('exit', r))));
      try {
        const { Kafka } = await import('kafkajs');
        const admin = (broker.native() as InstanceType<typeof Kafka>).admin();
        await admin.connect();
        await admin.deleteTopics({ topics: [topic, `${prefix}geofence-events`] });
        await admin.disconnect();
      } catch {
        // best effort
      }
      await broker.close();
    },
  };
}

// ---- run --------------------------------------------------------------------------------------

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(
  `scale-kafka: ${fmt(N)} positions over ${fmt(VEHICLES)} vehicles (window ${fmt(WINDOW)}); latency at ${fmt(RATE)}/s for ${RATE_S} s, tick ${TICK_MS} ms`,
);
console.log(
  `machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const results: PathResult[] = [];
if (PATHS.has('memory')) {
  const memory = await memoryPath();
  try {
    results.push(await measure(memory.path));
  } finally {
    await memory.stop();
  }
}
if (await canConnect(Number(KAFKA.split(':')[1] ?? 9092))) {
  // Two gateways (the deployment), then one (what a single gateway process takes).
  for (const count of [2, 1]) {
    if (!PATHS.has(`kafka${count}`)) continue;
    const k = await kafkaPath(count);
    try {
      results.push(await measure(k.path));
    } finally {
      await k.stop();
    }
  }
} else {
  console.log(`kafka: skipped (nothing on ${KAFKA})`);
}

console.log('');
console.log(
  '| path | publish rate | end-to-end throughput (every gateway applied all) | latency p50 | p99 | samples |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(
    `| ${r.name} | ${fmt(r.publishRate)}/s | ${fmt(r.throughput)} positions/s | ${fmt(r.p50)} ms | ${fmt(r.p99)} ms | ${fmt(r.samples)} |`,
  );
}
console.log('');
console.log(
  'CPU over the throughput phase (seconds; µs per position in brackets): bench process (producer, or the whole all-in-one) | each gateway process | Kafka JVM | rest of the machine | CPU available (wall x cores)',
);
const us = (s: number) => `${s.toFixed(1)} s (${fmt((s * 1e6) / N)} µs)`;
for (const r of results) {
  const c = r.cpu;
  console.log(
    `  ${r.name}: ${us(c.self)} | ${c.gateways.map(us).join(', ') || '-'} | ${c.kafka ? us(c.kafka) : '-'} | ${c.other.toFixed(1)} s | ${c.available.toFixed(1)} s`,
  );
}
const mem = results.find((r) => r.cpu.gateways.length === 0);
const kaf = results.find((r) => r.cpu.gateways.length > 1);
if (mem && kaf) {
  console.log('');
  console.log(
    `kafka / memory throughput: ${(kaf.throughput / mem.throughput).toFixed(2)}x; added latency p50 ${fmt(kaf.p50 - mem.p50)} ms, p99 ${fmt(kaf.p99 - mem.p99)} ms`,
  );
}
if (kaf) {
  console.log(`target >= 20,000 positions/s through Kafka: ${kaf.throughput >= 20_000 ? 'met' : 'not met'}`);
}
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
process.exit(0);
