import type { BBox } from '@realtimemap/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { position } from '../support/position-fixture.ts';
import { batches, connect, type Harness, settle, startHarness, waitUntil } from './harness.ts';

const VIEW: BBox = [24.9, 60.15, 24.96, 60.18];
const inside = (n: number, over = {}) =>
  position({
    vehicleId: `0022/0000${n}`,
    vehicleNumber: `0000${n}`,
    lon: 24.93,
    lat: 60.165,
    eventTime: 1000 * n,
    ...over,
  });
const outside = (n: number, over = {}) =>
  position({
    vehicleId: `0012/0000${n}`,
    operatorId: '0012',
    vehicleNumber: `0000${n}`,
    lon: 25.1,
    lat: 60.25,
    eventTime: 1000 * n,
    ...over,
  });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('gateway: websocket fan-out', () => {
  it('gateway: hello, then a snapshot of only what the viewport selects', async () => {
    h = await startHarness();
    h.store.apply(inside(1));
    h.store.apply(outside(2));
    const c = await connect(h.url);
    expect(c.messages[0]).toMatchObject({
      type: 'hello',
      protocol: 1,
      feedMode: 'simulated',
      cellDeg: [0.02, 0.01],
    });
    c.viewport(VIEW);
    const snap = await c.waitFor('snapshot');
    expect(snap.vehicles.map((v) => v.vehicleId)).toEqual(['0022/00001']);
    expect(snap.vehicles[0]).toMatchObject({ line: '64', speed: 8.12, doorsOpen: false, stale: false });
  });

  it('gateway: one frame per client per tick, with only in-view changes, and removals when leaving', async () => {
    h = await startHarness();
    const c = await connect(h.url);
    c.viewport(VIEW);
    await c.waitFor('snapshot');
    h.gateway.tick();
    h.store.apply(inside(1));
    h.store.apply(inside(2));
    h.store.apply(inside(2, { eventTime: 2500, lat: 60.166 }));
    h.store.apply(outside(3));
    h.gateway.tick();
    await settle(c);
    expect(batches(c)).toHaveLength(1);
    expect(batches(c)[0]!.updates.map((u) => [u.vehicleId, u.lat])).toEqual([
      ['0022/00001', 60.165],
      ['0022/00002', 60.166],
    ]);
    // Vehicle 1 drives out of view: the next batch removes it.
    h.store.apply(inside(1, { eventTime: 5000, lon: 25.2 }));
    h.gateway.tick();
    await settle(c);
    expect(batches(c)).toHaveLength(2);
    expect(batches(c)[1]).toMatchObject({ updates: [], removed: ['0022/00001'] });
    // Nothing changed: no frame at all.
    h.gateway.tick();
    await settle(c);
    expect(batches(c)).toHaveLength(2);
  });

  it('gateway: clients seeing the same cells share one encoding per tick', async () => {
    h = await startHarness();
    const a = await connect(h.url);
    const b = await connect(h.url);
    const far = await connect(h.url);
    a.viewport(VIEW);
    b.viewport(VIEW);
    far.viewport([25.05, 60.2, 25.15, 60.3]);
    await Promise.all([a.waitFor('snapshot'), b.waitFor('snapshot'), far.waitFor('snapshot')]);
    h.gateway.tick();
    const before = h.gateway.stats().recordsEncoded;
    for (let i = 1; i <= 5; i++) h.store.apply(inside(i));
    h.store.apply(outside(6));
    h.gateway.tick();
    await Promise.all([settle(a), settle(b), settle(far)]);
    expect(h.gateway.stats().recordsEncoded - before).toBe(6);
    const fa = a.frames.at(-1)!;
    const fb = b.frames.at(-1)!;
    expect(Buffer.from(fa).equals(Buffer.from(fb))).toBe(true);
    expect(batches(a)[0]!.updates).toHaveLength(5);
    expect(batches(far)[0]!.updates.map((u) => u.vehicleId)).toEqual(['0012/00006']);
  });

  it('gateway: filters by mode and route, with a new snapshot on change', async () => {
    h = await startHarness();
    h.store.apply(inside(1));
    h.store.apply(inside(2, { mode: 'tram', routeId: '1006', line: '6' }));
    const c = await connect(h.url);
    c.viewport(VIEW);
    await c.waitFor('snapshot');
    const from = c.messages.length;
    c.send({ type: 'filter', routes: ['6'] });
    const snap = await c.waitFor('snapshot', from);
    expect(snap.vehicles.map((v) => v.vehicleId)).toEqual(['0022/00002']);
    h.gateway.tick();
    h.store.apply(inside(1, { eventTime: 9000 }));
    h.store.apply(inside(2, { eventTime: 9000, mode: 'tram', routeId: '1006', line: '6' }));
    h.gateway.tick();
    await settle(c);
    const last = batches(c).at(-1)!;
    expect(last.updates.map((u) => u.vehicleId)).toEqual(['0022/00002']);
  });

  it('gateway: a followed vehicle is sent even off-screen', async () => {
    h = await startHarness();
    h.store.apply(outside(3));
    const c = await connect(h.url);
    c.viewport(VIEW);
    await c.waitFor('snapshot');
    h.gateway.tick();
    const from = c.messages.length;
    c.send({ type: 'follow', vehicleId: '0012/00003' });
    expect((await c.waitFor('batch', from)).updates.map((u) => u.vehicleId)).toEqual(['0012/00003']);
    h.store.apply(outside(3, { eventTime: 99_000, lat: 60.26 }));
    h.gateway.tick();
    await settle(c);
    expect(
      batches(c)
        .at(-1)!
        .updates.map((u) => [u.vehicleId, u.lat]),
    ).toEqual([['0012/00003', 60.26]]);
  });

  it('gateway: a reconnecting client resends its viewport and gets a fresh snapshot', async () => {
    h = await startHarness();
    h.store.apply(inside(1));
    const c = await connect(h.url);
    c.viewport(VIEW);
    await c.waitFor('snapshot');
    c.socket.close();
    await c.closed;
    h.store.apply(inside(2));
    const again = await connect(h.url);
    again.viewport(VIEW);
    const snap = await again.waitFor('snapshot');
    expect(snap.vehicles.map((v) => v.vehicleId).sort()).toEqual(['0022/00001', '0022/00002']);
    await waitUntil(() => h!.gateway.stats().clients === 1, 'the old client to be gone');
  });

  it('gateway: geofence notifications reach every client', async () => {
    h = await startHarness();
    const a = await connect(h.url);
    const b = await connect(h.url);
    const event = {
      kind: 'enter' as const,
      geofenceId: 'kallio',
      geofenceName: 'Kallio',
      vehicleId: '0022/01216',
      operatorId: '0022',
      line: '64',
      time: 5,
    };
    h.gateway.broadcast({ type: 'geofence', event });
    h.gateway.tick();
    expect((await a.waitFor('geofence')).event).toEqual(event);
    expect((await b.waitFor('geofence')).event).toEqual(event);
  });

  it('gateway: bad messages get an error, not a disconnect', async () => {
    h = await startHarness();
    const c = await connect(h.url);
    c.socket.send('{"type":"viewport","bbox":[1,2],"zoom":3}');
    const err = await c.waitFor('error');
    expect(err.code).toBe('GATEWAY_BAD_MESSAGE');
    expect(c.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('gateway: origin allowlist and connection limit refuse the upgrade', async () => {
    h = await startHarness({ maxClients: 1, origins: ['http://good.example'] });
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(h!.url, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
      });
    expect(await status({ origin: 'http://evil.example' })).toBe(403);
    const ok = await connect(h.url, { origin: 'http://good.example' });
    expect(await status({})).toBe(503);
    expect(h.gateway.stats().rejected).toBe(2);
    ok.socket.close();
  });
});
