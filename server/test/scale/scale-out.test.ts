/**
 * The scaled-out deployment as separate OS processes on real servers: one simulator (embedded MQTT
 * broker), one ingest and two gateways over Kafka, then over NATS JetStream. Each run uses its own
 * topics (--topic-prefix). One file, so the two backends run one after the other.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrailPoint } from '@realtimemap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../../src/transport/create-broker.ts';
import { service } from '../support/service.ts';
import { MapClient } from './support/map-client.ts';
import { freePort, getJson, type RoleProcess, startRole, waitUntil } from './support/role-process.ts';
import { deleteTopics, positionsInTopic } from './support/topic-history.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const VEHICLES = 30;

/** Alternating strips of longitude across the simulated network: vehicles cross them all the time. */
function stripFences(): string {
  const features = [];
  for (let i = 0; i < 16; i++) {
    const w = 24.8 + i * 0.02;
    features.push({
      type: 'Feature',
      id: `strip-${i}`,
      properties: { name: `Strip ${i}` },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [w, 60.1],
            [w + 0.01, 60.1],
            [w + 0.01, 60.35],
            [w, 60.35],
            [w, 60.1],
          ],
        ],
      },
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'rtm-scale-'));
  const file = join(dir, 'strips.geojson');
  writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }));
  return file;
}

function restartKafka(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['scripts/kafka.sh', 'restart'], { cwd: ROOT, stdio: 'ignore' });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

interface Trail {
  readonly points: readonly TrailPoint[];
}

const kafka = await service('kafka', 9092);
const nats = await service('nats', 4222);

describeScaleOut('kafka', '127.0.0.1:9092', kafka.up, kafka.reason);
describeScaleOut('nats', 'nats://127.0.0.1:4222', nats.up, nats.reason);

function describeScaleOut(backend: BackendName, url: string, up: boolean, reason: string): void {
  describe.skipIf(!up)(`scale-out over ${backend}${reason}`, () => {
    const prefix = `scale-${backend}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}-`;
    const topic = `${prefix}vehicle-positions`;
    const runStart = Date.now();
    const fences = stripFences();
    let mqttPort = 0;
    const ports = { a: 0, b: 0 };
    let sim: RoleProcess;
    let ingest: RoleProcess;
    const gateways: Record<'a' | 'b', RoleProcess | undefined> = { a: undefined, b: undefined };
    const clients: MapClient[] = [];
    const http = (g: 'a' | 'b') => `http://127.0.0.1:${ports[g]}`;
    const ws = (g: 'a' | 'b') => `ws://127.0.0.1:${ports[g]}/ws`;
    const brokerFlags = ['--broker', backend, '--broker-url', url, '--topic-prefix', prefix];

    const startIngest = () =>
      startRole('ingest', ['ingest', '--feed', `mqtt://127.0.0.1:${mqttPort}`, ...brokerFlags]);
    const startGateway = (g: 'a' | 'b') => {
      gateways[g] = startRole(`gateway-${g}`, [
        'gateway',
        ...brokerFlags,
        '--port',
        String(ports[g]),
        '--tick-ms',
        '100',
        '--trail-length',
        '5000',
        '--geofences',
        fences,
        '--style-url',
        'offline',
      ]);
      return gateways[g]!;
    };
    const ready = (g: 'a' | 'b', timeoutMs = 45_000) =>
      waitUntil(
        async () => (await getJson(`${http(g)}/readyz`))?.status === 200,
        `gateway ${g} ready`,
        timeoutMs,
      );
    const trail = async (g: 'a' | 'b', id: string): Promise<readonly TrailPoint[]> =>
      (await getJson<Trail>(`${http(g)}/api/vehicles/${encodeURIComponent(id)}/trail`))?.body.points ?? [];
    const vehicleIds = async (g: 'a' | 'b'): Promise<string[]> =>
      ((await getJson<{ vehicleId: string }[]>(`${http(g)}/api/vehicles`))?.body ?? []).map(
        (v) => v.vehicleId,
      );

    beforeAll(async () => {
      [mqttPort, ports.a, ports.b] = await Promise.all([freePort(), freePort(), freePort()]);
      sim = startRole('sim', [
        'sim',
        '--mqtt-port',
        String(mqttPort),
        '--sim-vehicles',
        String(VEHICLES),
        '--sim-seed',
        '11',
      ]);
      await sim.waitFor(/"server":"simulator".*app: server started/, 'simulator started');
      ingest = startIngest();
      startGateway('a');
      startGateway('b');
      await Promise.all([ready('a'), ready('b')]);
      clients.push(new MapClient([ws('a'), ws('b')]), new MapClient([ws('b'), ws('a')]));
    }, 90_000);

    afterAll(async () => {
      for (const c of clients) c.close();
      await Promise.all([sim, ingest, gateways.a, gateways.b].filter(Boolean).map((p) => p!.kill('SIGTERM')));
      await deleteTopics(backend, url, [topic, `${prefix}geofence-events`]);
    }, 60_000);

    it(`${backend}: clients on both gateways see the same vehicles, positions and geofence events`, async () => {
      const [ca, cb] = clients as [MapClient, MapClient];
      await waitUntil(
        () => ca.vehicles().size >= VEHICLES && cb.vehicles().size >= VEHICLES,
        'every vehicle on both clients',
      );
      const from = Date.now();
      await waitUntil(
        () => ca.geofenceEvents.filter((e) => e.time >= from).length >= 3,
        'geofence events',
        40_000,
      ).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 2_500));
      expect([...cb.vehicles()].sort()).toEqual([...ca.vehicles()].sort());
      // Every vehicle state both clients were sent at the same event time is the same position.
      let common = 0;
      for (const [id, times] of ca.seen) {
        for (const [t, at] of times) {
          const other = cb.seen.get(id)?.get(t);
          if (!other) continue;
          common++;
          expect(other, `${id} at ${t}`).toEqual(at);
        }
      }
      expect(common).toBeGreaterThan(VEHICLES);
      // The stored trails agree up to a moment both have certainly passed.
      const cutoff = Date.now() - 2_000;
      for (const id of [...ca.vehicles()].slice(0, 8)) {
        const [ta, tb] = await Promise.all([trail('a', id), trail('b', id)]);
        const upTo = (points: readonly TrailPoint[]) => points.filter((p) => p.t <= cutoff);
        expect(upTo(tb), id).toEqual(upTo(ta));
        expect(upTo(ta).length).toBeGreaterThan(1);
      }
      // Geofence events: evaluated once per position across the deployment (a competing group), so
      // each reaches each client exactly once.
      const key = (e: { vehicleId: string; geofenceId: string; kind: string; time: number }) =>
        `${e.vehicleId} ${e.geofenceId} ${e.kind} ${e.time}`;
      const settled = Date.now() - 1_500;
      const window = (c: MapClient) =>
        c.geofenceEvents.filter((e) => e.time >= from && e.time <= settled).map(key);
      const wa = window(ca);
      expect(wa.length, 'geofence events in the window').toBeGreaterThan(0);
      expect(new Set(wa).size, 'no event twice').toBe(wa.length);
      expect([...window(cb)].sort()).toEqual([...wa].sort());
    }, 60_000);

    it(`${backend}: a gateway killed: its clients reconnect to the other and carry on`, async () => {
      const cb = clients[1]!;
      const killedAt = Date.now();
      await gateways.b!.kill('SIGKILL');
      await waitUntil(() => cb.connections >= 2 && cb.current === ws('a'), 'client of b reconnected to a');
      await waitUntil(() => cb.newest > killedAt + 1_000, 'positions after the kill, through a');
      expect(cb.vehicles().size).toBeGreaterThanOrEqual(VEHICLES);
    }, 30_000);

    it(`${backend}: the gateway started again rebuilds its state from the broker, then is ready`, async () => {
      const before = Date.now();
      const gb = startGateway('b');
      const rebuilt = await gb.waitFor(
        /"positions":(\d+),"ms":\d+,"msg":"state rebuilt from the broker"/,
        'rebuild',
      );
      expect(Number(rebuilt[1])).toBeGreaterThan(VEHICLES);
      await ready('b');
      // At once: every vehicle, with its trail from before the restart, equal to the other gateway's.
      const [ids, idsA] = await Promise.all([vehicleIds('b'), vehicleIds('a')]);
      expect(ids.length).toBeGreaterThanOrEqual(VEHICLES);
      expect(new Set(ids)).toEqual(new Set(idsA));
      let withHistory = 0;
      for (const id of ids) {
        const [tb, ta] = await Promise.all([trail('b', id), trail('a', id)]);
        const old = (points: readonly TrailPoint[]) => points.filter((p) => p.t < before);
        expect(old(tb), id).toEqual(old(ta));
        if (old(tb).length > 1) withHistory++;
      }
      expect(withHistory, 'vehicles with a trail from before the restart').toBeGreaterThanOrEqual(
        VEHICLES - 2,
      );
    }, 60_000);

    it(`${backend}: ingest killed and restarted: the gateways stay up and the flow resumes`, async () => {
      const [ca, cb] = clients as [MapClient, MapClient];
      await ingest.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 1_500));
      const restarted = Date.now();
      ingest = startIngest();
      await waitUntil(
        () => ca.newest > restarted + 1_000 && cb.newest > restarted + 1_000,
        'positions after the ingest restart on both clients',
      );
      for (const g of ['a', 'b'] as const) expect((await getJson(`${http(g)}/healthz`))?.status).toBe(200);
    }, 60_000);

    it.skipIf(backend !== 'kafka')(
      `${backend}: the Kafka broker restarted: the gateways stay up and the flow resumes`,
      async () => {
        const [ca, cb] = clients as [MapClient, MapClient];
        expect(await restartKafka()).toBe(0);
        const back = Date.now();
        await waitUntil(
          () => ca.newest > back + 1_000 && cb.newest > back + 1_000,
          'positions after the broker restart on both clients',
          60_000,
        );
        for (const g of ['a', 'b'] as const) {
          expect(gateways[g]!.child.exitCode).toBeNull();
          await ready(g, 30_000);
        }
      },
      120_000,
    );

    it(`${backend}: no position stored in the broker is missing from either gateway`, async () => {
      // Everything the ingest published (publish resolves on the broker's ack) is in the topic.
      const stored = await positionsInTopic(backend, url, topic, runStart - 60_000);
      expect(stored.size).toBeGreaterThan(VEHICLES * 5);
      const byVehicle = new Map<string, number[]>();
      for (const k of stored) {
        const [id, t] = k.split(' ') as [string, string];
        (byVehicle.get(id) ?? byVehicle.set(id, []).get(id)!).push(Number(t));
      }
      for (const g of ['a', 'b'] as const) {
        // The gateways consume the same topic; give them a moment to reach its end.
        let lost: string[] = [];
        const deadline = Date.now() + 15_000;
        do {
          lost = [];
          for (const [id, times] of byVehicle) {
            const have = new Set((await trail(g, id)).map((p) => p.t));
            for (const t of times) if (!have.has(t)) lost.push(`${id} ${t}`);
          }
          if (lost.length > 0) await new Promise((r) => setTimeout(r, 500));
        } while (lost.length > 0 && Date.now() < deadline);
        expect(lost.length, `gateway ${g} misses ${lost.slice(0, 5).join(', ')}`).toBe(0);
      }
    }, 60_000);
  });
}
