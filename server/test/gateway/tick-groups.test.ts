import type { BBox } from '@realtimemap/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { position } from '../support/position-fixture.ts';
import { batches, clientView, connect, type Harness, settle, startHarness, waitUntil } from './harness.ts';

const VIEW: BBox = [24.9, 60.15, 24.96, 60.18];
const at = (n: number, lon: number, lat: number, eventTime: number) =>
  position({ vehicleId: `0022/0000${n}`, vehicleNumber: `0000${n}`, lon, lat, eventTime });
const IN_VIEW = [24.93, 60.165] as const;
const OUT_WEST = [24.7, 60.165] as const;
const OUT_EAST = [25.2, 60.165] as const;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('gateway: ticks spread over client groups', () => {
  it('gateway: with clients in several groups, a whole tick still gives each client one frame', async () => {
    h = await startHarness({ tickGroups: 4 });
    const clients = await Promise.all(Array.from({ length: 6 }, () => connect(h!.url)));
    for (const c of clients) c.viewport(VIEW);
    await Promise.all(clients.map((c) => c.waitFor('snapshot')));
    h.gateway.tick();
    h.store.apply(at(1, ...IN_VIEW, 1000));
    h.store.apply(at(2, ...IN_VIEW, 1000));
    h.gateway.tick();
    h.store.apply(at(1, ...IN_VIEW, 2000));
    h.gateway.tick();
    await Promise.all(clients.map(settle));
    for (const c of clients) {
      expect(batches(c).map((b) => b.updates.map((u) => [u.vehicleId, u.eventTime]))).toEqual([
        [
          ['0022/00001', 1000],
          ['0022/00002', 1000],
        ],
        [['0022/00001', 2000]],
      ]);
    }
  });

  it('gateway: on its own timer, every group gets its frames within a tick', async () => {
    h = await startHarness({ tickMs: 100, tickGroups: 5 });
    const clients = await Promise.all(Array.from({ length: 10 }, () => connect(h!.url)));
    for (const c of clients) c.viewport(VIEW);
    await Promise.all(clients.map((c) => c.waitFor('snapshot')));
    h.store.apply(at(1, ...IN_VIEW, 1000));
    await waitUntil(
      () => clients.every((c) => clientView(c).get('0022/00001')?.eventTime === 1000),
      'every client to get the update',
    );
    await Promise.all(clients.map(settle));
    // One change, one frame each: no group sent it twice, none missed it.
    for (const c of clients) expect(batches(c)).toHaveLength(1);
  });

  it("gateway: a notification to all goes out at each group's turn, once per client", async () => {
    h = await startHarness({ tickGroups: 3 });
    const clients = await Promise.all(Array.from({ length: 6 }, () => connect(h!.url)));
    const event = {
      kind: 'exit' as const,
      geofenceId: 'kallio',
      geofenceName: 'Kallio',
      vehicleId: '0022/00001',
      operatorId: '0022',
      line: '64',
      time: 5,
    };
    h.gateway.broadcast({ type: 'geofence', event });
    // Not in one burst to everyone: nothing went out before the groups' turns.
    await Promise.all(clients.map(settle));
    for (const c of clients) expect(c.messages.filter((m) => m.type === 'geofence')).toEqual([]);
    h.gateway.tick();
    h.gateway.tick();
    await Promise.all(clients.map(settle));
    for (const c of clients) {
      expect(c.messages.filter((m) => m.type === 'geofence')).toEqual([{ type: 'geofence', event }]);
    }
  });

  it('gateway: heartbeat pings reach the clients of every group on the timer', async () => {
    h = await startHarness({ tickMs: 100, tickGroups: 4, heartbeatMs: 50 });
    const clients = await Promise.all(Array.from({ length: 8 }, () => connect(h!.url)));
    const pinged = clients.map(() => 0);
    clients.forEach((c, i) => {
      c.socket.on('ping', () => {
        pinged[i]!++;
      });
    });
    await waitUntil(() => pinged.every((n) => n >= 2), 'every client to be pinged twice');
    // ws clients answer pings: nobody was cut off as unresponsive.
    expect(clients.every((c) => c.socket.readyState === c.socket.OPEN)).toBe(true);
  });

  it('gateway: a vehicle a snapshot showed between two ticks is removed when it drives off', async () => {
    h = await startHarness({ tickGroups: 2 });
    const watcher = await connect(h.url);
    watcher.viewport([24.5, 60.0, 25.5, 60.4]);
    await watcher.waitFor('snapshot');
    h.store.apply(at(1, ...OUT_WEST, 1000));
    h.gateway.tick();
    // Between two ticks: the vehicle drives into the view, a client joins and its snapshot shows it...
    h.store.apply(at(1, ...IN_VIEW, 2000));
    const c = await connect(h.url);
    c.viewport(VIEW);
    const snap = await c.waitFor('snapshot');
    expect(snap.vehicles.map((v) => v.vehicleId)).toEqual(['0022/00001']);
    // ...then it drives off to the other side before the next tick.
    h.store.apply(at(1, ...OUT_EAST, 3000));
    h.gateway.tick();
    await settle(c);
    expect(clientView(c).has('0022/00001')).toBe(false);
  });

  it('gateway: a vehicle created and removed between two ticks leaves the snapshot that showed it', async () => {
    h = await startHarness({ tickGroups: 2 });
    h.gateway.tick();
    h.store.apply(at(1, ...IN_VIEW, 1000));
    const c = await connect(h.url);
    c.viewport(VIEW);
    const snap = await c.waitFor('snapshot');
    expect(snap.vehicles).toHaveLength(1);
    h.advance(200_000);
    expect(h.store.sweep().removed).toEqual(['0022/00001']);
    h.gateway.tick();
    await settle(c);
    expect(clientView(c).size).toBe(0);
  });

  it('gateway: a viewport of the whole world gets every change and every removal', async () => {
    h = await startHarness({ tickGroups: 2 });
    h.store.apply(at(1, ...IN_VIEW, 1000));
    const c = await connect(h.url);
    c.viewport([-180, -85, 180, 85]);
    await c.waitFor('snapshot');
    h.store.apply(at(1, ...OUT_EAST, 2000));
    h.store.apply(at(2, 139.7, 35.7, 1000));
    h.gateway.tick();
    await settle(c);
    expect([...clientView(c).values()].map((v) => [v.vehicleId, v.lon])).toEqual([
      ['0022/00001', 25.2],
      ['0022/00002', 139.7],
    ]);
    h.advance(200_000);
    h.store.sweep();
    h.gateway.tick();
    await settle(c);
    expect(clientView(c).size).toBe(0);
  });
});
