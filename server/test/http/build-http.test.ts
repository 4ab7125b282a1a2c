import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttp } from '../../src/http/build-http.ts';
import type { HttpDeps } from '../../src/http/deps.ts';
import { PROBLEMS } from '../../src/http/errors.ts';
import { buildMetrics } from '../../src/http/metrics.ts';
import { GeofenceTracker } from '../../src/state/geofence-tracker.ts';
import { DEFAULT_GEOFENCES } from '../../src/state/geofences.ts';
import { VehicleStore } from '../../src/state/vehicle-store.ts';
import { position } from '../support/position-fixture.ts';

function deps(webDist: string | undefined): HttpDeps {
  const store = new VehicleStore({
    clock: () => 5000,
    staleMs: 60_000,
    removeMs: 180_000,
    trail: { maxLength: 200, maxAgeMs: 600_000 },
  });
  const tracker = new GeofenceTracker(DEFAULT_GEOFENCES);
  const add = (p: ReturnType<typeof position>) => {
    store.apply(p);
    tracker.evaluate(p);
  };
  add(position({ lat: 60.171285, lon: 24.943936, eventTime: 1000 })); // Railway Square
  add(position({ lat: 60.1713, lon: 24.944, eventTime: 2000 }));
  add(position({ lat: 60.1712, lon: 24.9438, eventTime: 1500, outOfOrder: true }));
  add(
    position({
      vehicleId: '0040/00412',
      operatorId: '0040',
      vehicleNumber: '00412',
      mode: 'tram',
      routeId: '1006',
      line: '6',
      lat: 60.31146,
      lon: 24.96907,
    }),
  );
  const metrics = buildMetrics({
    vehicles: () => store.size,
    feed: () => ({
      received: 10,
      accepted: 8,
      upcoming: 0,
      duplicates: 1,
      rejected: { 'bad-json': 1 },
      messagesPerSecond: 3,
    }),
  });
  return {
    logger: pino({ level: 'silent' }),
    store,
    tracker,
    geofences: DEFAULT_GEOFENCES,
    clientConfig: {
      styleUrl: null,
      feedMode: 'simulated',
      protocolVersion: 1,
      center: [24.94, 60.17],
      zoom: 13,
    },
    network: () => ({ type: 'FeatureCollection', features: [] }),
    status: () => ({
      feedMode: 'simulated',
      vehicles: store.size,
      messagesPerSecond: 3,
      feed: {
        connected: true,
        received: 10,
        accepted: 8,
        upcoming: 0,
        duplicates: 1,
        outOfOrder: 0,
        rejected: { 'bad-json': 1 },
      },
      broker: { backend: 'memory', status: 'connected', healthy: true },
      clients: 0,
      uptimeSeconds: 1,
    }),
    readiness: () => ({ ready: false, checks: { feed: false, broker: true } }),
    metrics: metrics.registry,
    webDist,
  };
}

let app: FastifyInstance;
let bare: FastifyInstance;
beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'rtm-web-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>map</title>');
  writeFileSync(join(dist, 'assets', 'index-3f9a1c.js'), 'console.log(1)');
  app = await buildHttp(deps(dist));
  bare = await buildHttp(deps(join(dist, 'missing')));
});
afterAll(async () => {
  await app.close();
  await bare.close();
});

describe('http: REST API', () => {
  it('http: GET /api/vehicles filters by bbox, mode, route, operator and limit', async () => {
    const all = await app.inject('/api/vehicles');
    expect(all.statusCode).toBe(200);
    expect(all.json().map((v: { vehicleId: string }) => v.vehicleId)).toEqual(['0022/01216', '0040/00412']);
    const q = (s: string) =>
      app.inject(`/api/vehicles?${s}`).then((r) => r.json().map((v: { vehicleId: string }) => v.vehicleId));
    expect(await q('bbox=24.9,60.1,25.0,60.2')).toEqual(['0022/01216']);
    expect(await q('mode=tram')).toEqual(['0040/00412']);
    expect(await q('route=64')).toEqual(['0022/01216']);
    expect(await q('route=1006')).toEqual(['0040/00412']);
    expect(await q('operator=0040,0012')).toEqual(['0040/00412']);
    expect(await q('limit=1')).toEqual(['0022/01216']);
  });

  it('http: bad input is a 400 problem+json with a stable code', async () => {
    for (const url of [
      '/api/vehicles?bbox=1,2,3',
      '/api/vehicles?mode=rocket',
      '/api/vehicles?limit=0',
      '/api/vehicles?colour=red',
    ]) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json()).toMatchObject({ status: 400, code: 'HTTP_BAD_REQUEST', title: 'Bad request' });
      expect(r.json().detail.length).toBeGreaterThan(5);
    }
  });

  it('http: one vehicle and its trail, by encoded id or operator/number; 404 for unknown ids', async () => {
    const v = await app.inject('/api/vehicles/0022%2F01216');
    expect(v.json()).toMatchObject({
      vehicleId: '0022/01216',
      lat: 60.1713,
      line: '64',
      doorsOpen: false,
      stale: false,
    });
    const t = await app.inject('/api/vehicles/0022/01216/trail');
    expect(t.json().points.map((p: { t: number }) => p.t)).toEqual([1000, 1500, 2000]);
    expect((await app.inject('/api/vehicles/0022/01216')).json().vehicleId).toBe('0022/01216');
    const missing = await app.inject('/api/vehicles/0099%2F00001/trail');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.json()).toMatchObject({ code: 'HTTP_VEHICLE_NOT_FOUND', status: 404 });
    expect((await app.inject('/api/nothing')).json()).toMatchObject({ code: 'HTTP_NOT_FOUND' });
  });

  it('http: routes, organizations with geofence occupancy, geofences', async () => {
    expect((await app.inject('/api/routes')).json()).toEqual([
      { routeId: '1006', line: '6', mode: 'tram', vehicles: 1 },
      { routeId: '1064', line: '64', mode: 'bus', vehicles: 1 },
    ]);
    const orgs = (await app.inject('/api/organizations')).json();
    expect(orgs).toContainEqual({ id: '0022', name: 'Nobina Finland Oy' });
    const nobina = (await app.inject('/api/organizations/0022')).json();
    expect(nobina.vehicles).toBe(1);
    const occupied = nobina.geofences
      .filter((g: { vehicleIds: string[] }) => g.vehicleIds.length > 0)
      .map((g: { id: string }) => g.id);
    expect(occupied.sort()).toEqual(['downtown', 'railway-square']);
    expect(
      (await app.inject('/api/organizations/40'))
        .json()
        .geofences.find((g: { id: string }) => g.id === 'airport').vehicleIds,
    ).toEqual(['0040/00412']);
    expect((await app.inject('/api/organizations/0007')).json()).toMatchObject({
      code: 'HTTP_ORGANIZATION_NOT_FOUND',
    });
    const fences = (await app.inject('/api/geofences')).json();
    expect(fences).toHaveLength(6);
    expect(fences[0]).toMatchObject({ id: 'airport', geometry: { type: 'circle', radiusMeters: 2000 } });
  });

  it('http: health, readiness, status, config, network and metrics', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ ok: true });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ ready: false, checks: { feed: false, broker: true } });
    expect((await app.inject('/api/status')).json()).toMatchObject({
      feedMode: 'simulated',
      vehicles: 2,
      broker: { backend: 'memory' },
    });
    expect((await app.inject('/api/config')).json()).toEqual({
      styleUrl: null,
      feedMode: 'simulated',
      protocolVersion: 1,
      center: [24.94, 60.17],
      zoom: 13,
    });
    expect((await app.inject('/api/network')).json()).toEqual({ type: 'FeatureCollection', features: [] });
    const m = await app.inject('/metrics');
    expect(m.body).toContain('rtm_vehicles 2');
    expect(m.body).toContain('rtm_feed_rejected_total{reason="bad-json"} 1');
  });

  it('http: OpenAPI at /docs lists every API route', async () => {
    const doc = (await app.inject('/docs/json')).json();
    for (const p of [
      '/api/vehicles',
      '/api/vehicles/{id}',
      '/api/vehicles/{id}/trail',
      '/api/routes',
      '/api/organizations',
      '/api/organizations/{id}',
      '/api/geofences',
      '/api/status',
      '/api/config',
      '/healthz',
      '/readyz',
    ]) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
    expect((await app.inject('/docs')).statusCode).toBeLessThan(400);
  });

  it('http: the web app with long-cache hashed assets, index.html for client routes', async () => {
    const index = await app.inject('/');
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<title>map</title>');
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject('/assets/index-3f9a1c.js');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject('/some/view')).body).toContain('<title>map</title>');
    expect((await app.inject('/assets/gone-1234.js')).statusCode).toBe(404);
  });

  it('http: a missing web build is explained at /', async () => {
    const r = await bare.inject('/');
    expect(r.statusCode).toBe(503);
    expect(r.body).toContain('pnpm build');
  });

  it('http: the problem catalogue has unique codes with error statuses', () => {
    const codes = Object.keys(PROBLEMS);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [code, p] of Object.entries(PROBLEMS)) {
      expect(code).toMatch(/^HTTP_[A-Z_]+$/);
      expect(p.status).toBeGreaterThanOrEqual(400);
    }
  });
});
