/**
 * Ingest throughput end to end: simulator output -> MQTT broker -> feed (parse, dedupe, order) ->
 * memory broker -> a subscriber counting positions. Run twice in the same process with the same
 * messages: through the embedded broker (aedes, the default `start`) and through the machine's
 * Mosquitto (127.0.0.1:1883, skipped if absent) carrying the same load. Target: >= 30,000 msg/s.
 */
import { Socket } from 'node:net';
import type { VehiclePosition } from '@realtimemap/shared';
import mqtt from 'mqtt';
import pino from 'pino';
import { buildFeed } from '../src/feed/feed.ts';
import { network } from '../src/sim/builtin-network.ts';
import { startEmbeddedBroker } from '../src/sim/embedded-broker.ts';
import { createFleet, type SimMessage } from '../src/sim/fleet.ts';
import { NO_QUIRKS } from '../src/sim/quirks.ts';
import { createMemoryBroker } from '../src/transport/backends/memory/index.ts';

const MESSAGES = 60_000;
const TIME_LIMIT_MS = 40_000;
const log = pino({ level: 'silent' });

function generate(): SimMessage[] {
  // No quirks: every message should come out as one position (duplicates would be dropped by design).
  const start = Date.parse('2026-11-27T06:00:00Z');
  const fleet = createFleet({ network: network(), vehicles: 1000, seed: 1, start, quirks: NO_QUIRKS });
  const out: SimMessage[] = [];
  let t = start;
  while (out.length < MESSAGES) {
    t += 1000;
    fleet.advance(t, (m) => out.push(m));
  }
  return out.slice(0, MESSAGES);
}

async function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('error', () => done(false));
    s.connect(port, '127.0.0.1', () => done(true));
  });
}

async function run(url: string, prefix: string, messages: SimMessage[]) {
  const broker = createMemoryBroker({ queueCapacity: 50_000 });
  await broker.connect();
  let positions = 0;
  await broker.subscribe<VehiclePosition>('vehicle-positions', () => {
    positions++;
  });
  const feed = buildFeed({ mqttUrl: url, broker, logger: log, topicFilter: `/${prefix}hfp/v2/#` });
  await feed.start();
  const pub = mqtt.connect(url, { reconnectPeriod: 0 });
  await new Promise<void>((resolve, reject) => {
    pub.once('connect', () => resolve());
    pub.once('error', reject);
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let pending: Promise<void> = Promise.resolve();
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const topic = `/${prefix}${m.topic.slice(1)}`;
    // Wait for the socket now and then (every 500), not per message: QoS 0, as the simulator sends.
    if (i % 500 === 499) {
      pending = new Promise<void>((resolve) => pub.publish(topic, m.payload, { qos: 0 }, () => resolve()));
      await pending;
    } else pub.publish(topic, m.payload, { qos: 0 });
  }
  await pending;
  const published = performance.now() - t0;
  const deadline = t0 + TIME_LIMIT_MS;
  while (positions < messages.length && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 5));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const done = positions;
  const stats = feed.stats();
  await pub.endAsync();
  await feed.stop();
  await broker.close();
  // Everything (publisher, broker when embedded, feed, memory broker) runs in this one process:
  // CPU time is the fair measure on a machine shared with other work.
  return { positions: done, ms, published, stats, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function report(name: string, r: Awaited<ReturnType<typeof run>>) {
  const rate = (r.positions / r.ms) * 1000;
  const cpuRate = (r.positions / r.cpuMs) * 1000;
  console.log(
    `${name.padEnd(26)} ${rate.toFixed(0).padStart(7)} msg/s wall, ${cpuRate.toFixed(0).padStart(7)} msg per CPU-s of this process ` +
      `(${r.positions}/${MESSAGES} positions in ${r.ms.toFixed(0)} ms; publisher done at ${r.published.toFixed(0)} ms; ` +
      `rejected ${Object.values(r.stats.rejected).reduce((a, b) => a + b, 0)})`,
  );
  return rate;
}

const messages = generate();
const load = (await import('node:os')).loadavg()[0]!;
console.log(
  `machine load average ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} cores (figures are only comparable at low load)`,
);
console.log(
  `${MESSAGES} simulator messages (1,000 vehicles), QoS 0, one publisher connection, feed -> memory broker`,
);
const embedded = await startEmbeddedBroker({ logger: log });
const rEmbedded = await run(embedded.url, `bench${process.pid}/`, messages);
await embedded.close();
const embeddedRate = report('embedded broker (aedes)', rEmbedded);
if (await reachable(1883)) {
  const rMosq = await run('mqtt://127.0.0.1:1883', `bench${process.pid}/`, messages);
  const mosqRate = report('Mosquitto 127.0.0.1:1883', rMosq);
  console.log(`ratio embedded / Mosquitto: ${(embeddedRate / mosqRate).toFixed(2)}`);
} else {
  console.log('Mosquitto 127.0.0.1:1883 not reachable: baseline skipped');
}
console.log(`target >= 30,000 msg/s (embedded): ${embeddedRate >= 30_000 ? 'met' : 'MISSED'}`);
process.exit(0);
