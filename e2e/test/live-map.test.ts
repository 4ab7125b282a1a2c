/**
 * The whole stack in Debian's Chromium: the real server (seeded simulator, embedded MQTT broker,
 * in-memory broker) started on free ports, the page built by Vite and served by it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type BBox,
  bboxContains,
  distanceMeters,
  parseCaptureLine,
  type VehicleState,
} from '@realtimemap/shared';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkChromium, launchChromium } from '../src/browser.ts';
import {
  EVIDENCE_DIR,
  PageSession,
  type RenderedVehicle,
  type Rgba,
  showsColor,
  waitFor,
} from '../src/page-session.ts';
import { REPO_ROOT, type ServerProcess, startServer } from '../src/server-process.ts';

const chromiumCheck = checkChromium();
const webBuilt = existsSync(resolve(REPO_ROOT, 'web/dist/index.html'));
const SAMPLES = resolve(REPO_ROOT, '../shared/hfp-samples');

async function api<T>(server: ServerProcess, path: string): Promise<T> {
  const r = await fetch(server.url + path);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return (await r.json()) as T;
}

function grow(b: BBox, dLon: number, dLat: number): BBox {
  return [b[0] - dLon, b[1] - dLat, b[2] + dLon, b[3] + dLat];
}

/** Inside a detail-zoom disc, clear of the line label in its middle; a dot is sampled at its centre. */
const DISC_SAMPLES = [
  [0, 6],
  [0, -6],
  [6, 6],
  [-6, 6],
  [6, -6],
  [-6, -6],
] as const;
const DOT_SAMPLES = [
  [0, 0],
  [1, 0],
  [0, 1],
] as const;

/**
 * What the page actually drew for each vehicle it says it rendered (those clear of the edges, at most
 * 40): how many were checked, and for how many at least two sampled pixels (one, for a dot) pass `match`.
 */
async function drawnCheck(
  s: PageSession,
  samples: readonly (readonly [number, number])[],
  match: (px: Rgba, v: RenderedVehicle) => boolean,
): Promise<{ checked: number; drawn: number }> {
  const seen = await s.drawnVehicles(samples);
  const need = Math.min(2, samples.length);
  const drawn = seen.filter((d) => d.pixels.filter((px) => match(px, d.vehicle)).length >= need).length;
  return { checked: seen.length, drawn };
}

describe.skipIf(!chromiumCheck.available)(`e2e: the live map in Chromium${chromiumCheck.reason}`, () => {
  let server: ServerProcess;
  let browser: Browser;
  let session: PageSession | undefined;
  let scenario = '';

  beforeAll(async () => {
    if (!webBuilt) {
      // The test command builds the web app first; this keeps a direct `vitest run` honest.
      const build = spawn('pnpm', ['--filter', '@realtimemap/web', 'build'], {
        cwd: REPO_ROOT,
        stdio: 'inherit',
      });
      await new Promise((ok) => build.once('exit', ok));
    }
    [server, browser] = await Promise.all([startServer({ vehicles: 200, seed: 7 }), launchChromium()]);
    console.log(`e2e evidence (screenshots, console logs): ${EVIDENCE_DIR}`);
  });

  afterAll(async () => {
    await session?.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && session) await session.leaveEvidence(scenario);
  });

  async function openApp(path = '/'): Promise<PageSession> {
    await session?.close().catch(() => undefined);
    session = await PageSession.open(browser, server.url, path);
    await session.waitForMapReady();
    return session;
  }

  it('e2e: page loads offline, stays on its origin, shows the vehicles the API has in view, says SIMULATED', async () => {
    scenario = '1-load';
    const s = await openApp();
    await waitFor('vehicles on the map', async () => (await s.rendered()).length > 10, 30_000);
    await expect.poll(() => s.page.getByTestId('feed-badge').textContent()).toBe('SIMULATED');
    // Rendered (in view) vs the REST API for the same box: the same vehicles, give or take the few
    // that crossed the edge between the two reads.
    const bounds = await s.bounds();
    const inView = (await s.rendered()).filter((v) => bboxContains(bounds, v.lon, v.lat)).map((v) => v.id);
    const fromApi = (
      await api<VehicleState[]>(server, `/api/vehicles?bbox=${bounds.join(',')}&limit=5000`)
    ).map((v) => v.vehicleId);
    expect(fromApi.length).toBeGreaterThan(10);
    const apiSet = new Set(fromApi);
    const common = inView.filter((id) => apiSet.has(id)).length;
    expect(common / fromApi.length).toBeGreaterThan(0.9);
    expect(common / inView.length).toBeGreaterThan(0.9);
    expect(s.external).toEqual([]);
    await s.screenshot('1-loaded');
  });

  it('e2e: vehicles move between updates', async () => {
    scenario = '2-move';
    const s = session ?? (await openApp());
    const before = new Map((await s.rendered()).map((v) => [v.id, v]));
    await new Promise((r) => setTimeout(r, 4000)); // the thing under test is motion over time
    const moved = (await s.rendered()).filter((v) => {
      const b = before.get(v.id);
      return b !== undefined && distanceMeters([b.lon, b.lat], [v.lon, v.lat]) > 5;
    });
    expect(moved.length).toBeGreaterThan(5);
  });

  it('e2e: clicking a vehicle opens its details matching the API; its trail grows; follow keeps it centred', async () => {
    scenario = '3-details';
    const s = session ?? (await openApp());
    const center = await s.center();
    // The moving vehicle nearest the centre, clicked where it is drawn.
    const pick = await waitFor('a moving vehicle near the centre', async () => {
      const all = await s.rendered();
      const states = await api<VehicleState[]>(
        server,
        `/api/vehicles?bbox=${(await s.bounds()).join(',')}&limit=5000`,
      );
      const moving = new Set(
        states.filter((v) => (v.speed ?? 0) > 3 && !v.doorsOpen).map((v) => v.vehicleId),
      );
      return all
        .filter((v) => moving.has(v.id))
        .sort(
          (a, b) =>
            distanceMeters([a.lon, a.lat], [center.lon, center.lat]) -
            distanceMeters([b.lon, b.lat], [center.lon, center.lat]),
        )[0];
    });
    const fresh = (await s.rendered()).find((v) => v.id === pick.id) ?? pick;
    const px = await s.pixelOf(fresh.lon, fresh.lat);
    await s.page.mouse.click(px.x, px.y);
    const panel = s.page.getByTestId('details-panel');
    await panel.waitFor({ state: 'visible', timeout: 10_000 });
    const selectedId = await waitFor('a selected vehicle', () =>
      s.page.evaluate(() => window.__realtimemap?.ui().selectedId ?? undefined),
    );
    // Panel and API agree (polled: both follow a live vehicle).
    await waitFor('details panel matching the API', async () => {
      const v = await api<VehicleState>(server, `/api/vehicles/${selectedId}`);
      const line = (await s.page.getByTestId('details-line').textContent()) ?? '';
      const speed = (await s.page.getByTestId('details-speed').textContent()) ?? '';
      const doors = (await s.page.getByTestId('details-doors').textContent()) ?? '';
      const kmh = Number.parseFloat(speed);
      const doorsOk = v.doorsOpen === null ? true : /open/i.test(doors) === v.doorsOpen;
      return line.includes(v.line ?? '') && Math.abs(kmh - (v.speed ?? 0) * 3.6) <= 8 && doorsOk;
    });
    // What the map's trail source holds (MapLibre's own getData), in points.
    const trailLength = () =>
      s.page.evaluate(async () => {
        const src = window.__realtimemap!.map!.getSource('trail') as
          | { getData(): Promise<{ features?: { geometry: { coordinates: unknown[] } }[] }> }
          | undefined;
        const data = await src?.getData();
        return data?.features?.reduce((n, f) => n + f.geometry.coordinates.length, 0) ?? 0;
      });
    const first = await waitFor('a trail drawn', async () =>
      (await trailLength()) >= 2 ? trailLength() : undefined,
    );
    await waitFor('the trail to grow', async () => (await trailLength()) > first, 15_000);
    // Selecting follows by default; make sure follow mode is on whatever the default becomes.
    const follow = s.page.getByTestId('follow-toggle');
    if ((await follow.getAttribute('aria-pressed')) !== 'true') await follow.click();
    await expect.poll(() => follow.getAttribute('aria-pressed')).toBe('true');
    await waitFor(
      'the map centred on the followed vehicle',
      async () => {
        const c = await s.center();
        const v = (await s.rendered()).find((r) => r.id === selectedId);
        return v !== undefined && distanceMeters([c.lon, c.lat], [v.lon, v.lat]) < 60;
      },
      15_000,
    );
    await s.screenshot('3-details-follow');
  });

  it('e2e: filtering by a route renders only that route; clearing brings the rest back', async () => {
    scenario = '4-filter';
    const s = await openApp();
    await waitFor('vehicles', async () => (await s.rendered()).length > 10, 30_000);
    const all = (await s.rendered()).length;
    // The route with the most vehicles in view (the busiest route overall may have none here, and the
    // server sends only what is in view).
    const inView = await api<VehicleState[]>(
      server,
      `/api/vehicles?bbox=${(await s.bounds()).join(',')}&limit=5000`,
    );
    const counts = new Map<string, number>();
    for (const v of inView) if (v.routeId) counts.set(v.routeId, (counts.get(v.routeId) ?? 0) + 1);
    const busiest = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    const item = busiest
      ? s.page.locator(`[data-testid="route-item"][data-route="${busiest}"]`)
      : s.page.getByTestId('route-item').first();
    const routeId = (await item.getAttribute('data-route'))!;
    await item.click();
    const states = await api<VehicleState[]>(
      server,
      `/api/vehicles?route=${encodeURIComponent(routeId)}&limit=5000`,
    );
    const ofRoute = new Set(states.map((v) => v.vehicleId));
    await waitFor('only that route rendered', async () => {
      const r = await s.rendered();
      return r.length > 0 && r.every((v) => ofRoute.has(v.id) || states.length === 0);
    });
    await s.screenshot('4-filtered');
    await s.page.getByTestId('clear-filters').click();
    await waitFor('the rest back', async () => (await s.rendered()).length > Math.min(all * 0.8, all - 1));
  });

  it('e2e: panning sends a new viewport; frames carry only vehicles in view, and those appear', async () => {
    scenario = '5-viewport';
    const s = await openApp('/?c=24.94110,60.17130&z=15');
    await waitFor('vehicles', async () => (await s.rendered()).length > 0, 30_000);
    const sentBefore = s.sent.length;
    await s.page.evaluate(() => window.__realtimemap!.map!.jumpTo({ center: [24.958, 60.186], zoom: 15.5 }));
    const viewport = await waitFor('a viewport message after the pan', () =>
      s.sent.slice(sentBefore).find((f) => f.message.type === 'viewport' && f.message.bbox[0] > 24.945),
    );
    if (viewport.message.type !== 'viewport') throw new Error('unreachable');
    const bbox = viewport.message.bbox;
    await waitFor('a snapshot after the new viewport', () =>
      s.received.some((f) => f.at >= viewport.at && f.message.type === 'snapshot'),
    );
    await new Promise((r) => setTimeout(r, 2000)); // collect a couple of ticks of batches
    // The gateway sends whole grid cells (0.02° x 0.01°) that touch the viewport: nothing beyond them.
    const allowed = grow(bbox, 0.02, 0.01);
    const sentVehicles = s.received
      .filter((f) => f.at >= viewport.at + 500)
      .flatMap((f) =>
        f.message.type === 'snapshot'
          ? f.message.vehicles
          : f.message.type === 'batch'
            ? f.message.updates
            : [],
      );
    expect(sentVehicles.length).toBeGreaterThan(0);
    const outside = sentVehicles.filter((v) => !bboxContains(allowed, v.lon, v.lat));
    expect(outside.map((v) => v.vehicleId)).toEqual([]);
    const apiInView = await api<VehicleState[]>(server, `/api/vehicles?bbox=${bbox.join(',')}&limit=5000`);
    const rendered = new Set((await s.rendered()).map((v) => v.id));
    expect(apiInView.filter((v) => rendered.has(v.vehicleId)).length).toBeGreaterThanOrEqual(
      Math.floor(apiInView.length * 0.8),
    );
    await s.screenshot('5-panned');
  });

  it('e2e: a vehicle entering a geofence raises a toast and is listed in its zone', async () => {
    scenario = '6-geofence';
    const s = await openApp();
    const toast = await waitFor(
      'an "entered" toast',
      async () => {
        const texts = await s.page.getByTestId('toast').allTextContents();
        return (
          texts
            .map((t) => /Line\s+\S+\s+\((\d+)\/(\d+)\)\s+entered\s+(.+)/.exec(t))
            .find((m) => m !== null) ?? undefined
        );
      },
      60_000,
    );
    const [, operator, vehicle] = toast;
    const vehicleId = `${operator}/${vehicle}`;
    await s.screenshot('6-geofence-toast');
    // The zone panel of that vehicle's operator lists it in a zone (unless it already left again).
    await s.page.getByText('Zones by operator').click();
    await s.page.getByTestId('organization-select').selectOption(operator!);
    await waitFor('the vehicle listed in a zone', async () => {
      const listed = await s.page
        .locator(`[data-testid="zone-vehicle"][data-vehicle="${vehicleId}"]`)
        .count();
      if (listed > 0) return true;
      const org = await api<{ geofences: { vehicleIds: string[] }[] }>(
        server,
        `/api/organizations/${operator}`,
      );
      // It left between the toast and now: then the panel must not list it either, which it doesn't.
      return org.geofences.every((g) => !g.vehicleIds.includes(vehicleId)) ? true : undefined;
    });
  });

  it('e2e: a link with centre, zoom, filter and selection reopens the same view', async () => {
    scenario = '9-link';
    const first = await openApp();
    const target = await waitFor('a tram', async () => {
      const trams = await api<VehicleState[]>(server, '/api/vehicles?mode=tram&limit=50');
      return trams[0];
    });
    await first.close();
    const link = `/?c=24.95000,60.17500&z=14.50&v=${target.vehicleId}&m=tram`;
    const s = await openApp(link);
    const c = await s.center();
    expect(c.zoom).toBeCloseTo(14.5, 1);
    expect(c.lon).toBeCloseTo(24.95, 2);
    expect(c.lat).toBeCloseTo(60.175, 2);
    await s.page.getByTestId('details-panel').waitFor({ state: 'visible', timeout: 15_000 });
    await expect
      .poll(() => s.page.getByTestId('details-vehicle').textContent())
      .toContain(target.vehicleNumber.replace(/^0+/, ''));
    await expect.poll(() => s.page.evaluate(() => window.__realtimemap!.ui().modes)).toEqual(['tram']);
    const rendered = await waitFor('trams rendered', async () => {
      const r = await s.rendered();
      return r.length > 0 ? r : undefined;
    });
    const trams = new Set(
      (await api<VehicleState[]>(server, '/api/vehicles?mode=tram&limit=5000')).map((v) => v.vehicleId),
    );
    expect(rendered.filter((v) => !trams.has(v.id))).toEqual([]);
    await s.screenshot('9-link');
  });

  it.skipIf(!existsSync(SAMPLES))(
    'e2e: a replayed HSL capture puts its vehicle where the capture says',
    async () => {
      scenario = '8-replay';
      const file = resolve(
        SAMPLES,
        readdirSync(SAMPLES)
          .filter((f) => f.endsWith('.hfp'))
          .sort()[0]!,
      );
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .map(parseCaptureLine)
        .filter((l) => l !== null);
      const topic = lines[0]!.topic.split('/');
      const vehicleId = `${topic[7]}/${topic[8]}`;
      const replay = spawn(
        resolve(REPO_ROOT, 'server/node_modules/.bin/tsx'),
        [
          'server/src/cli/main.ts',
          'replay',
          `--file=${file}`,
          `--mqtt-url=mqtt://127.0.0.1:${server.mqttPort}`,
          '--speed=0',
        ],
        { cwd: REPO_ROOT, stdio: 'ignore' },
      );
      const code = await new Promise((ok) => replay.once('exit', ok));
      expect(code).toBe(0);
      const v = await waitFor('the replayed vehicle in the API', () =>
        api<VehicleState>(server, `/api/vehicles/${vehicleId}`).catch(() => undefined),
      );
      // Where the capture's newest positioned message puts it.
      const last = lines
        .map(
          (l) =>
            JSON.parse(l.payload) as Record<
              string,
              { lat?: number | null; long?: number | null; tst?: string }
            >,
        )
        .map((p) => Object.values(p)[0]!)
        .filter((p) => typeof p.lat === 'number' && typeof p.long === 'number')
        .sort((a, b) => Date.parse(a.tst ?? '') - Date.parse(b.tst ?? ''))
        .at(-1)!;
      expect(distanceMeters([v.lon, v.lat], [last.long!, last.lat!])).toBeLessThan(1);
      const s = await openApp(`/?c=${v.lon.toFixed(5)},${v.lat.toFixed(5)}&z=15`);
      await waitFor('the replayed vehicle rendered at its position', async () => {
        const r = (await s.rendered()).find((x) => x.id === vehicleId);
        return r !== undefined && distanceMeters([r.lon, r.lat], [v.lon, v.lat]) < 30;
      });
      await s.screenshot('8-replayed-vehicle');
    },
  );

  it('e2e: every vehicle the page says it drew is on screen in its mode colour; far out, as dots', async () => {
    scenario = '10-drawn';
    const s = await openApp('/?c=24.94000,60.17000&z=13.5');
    await waitFor('vehicles', async () => (await s.rendered()).length > 10, 30_000);
    // Sampled right after reading positions: vehicles move, so a few may be a pixel off.
    const near = await waitFor('vehicles drawn at their positions in their colours', async () => {
      const r = await drawnCheck(s, DISC_SAMPLES, (px, v) => showsColor(px, v.color));
      return r.checked >= 10 && r.drawn >= r.checked * 0.8 ? r : undefined;
    });
    expect(near.checked).toBeGreaterThanOrEqual(10);
    await s.screenshot('10-detail');
    // Zoomed out over the whole city: plain dots, still every vehicle, still in colour.
    await s.page.evaluate(() => window.__realtimemap!.map!.jumpTo({ center: [24.95, 60.19], zoom: 10.5 }));
    const far = await waitFor('dots at low zoom', async () => {
      const r = await drawnCheck(s, DOT_SAMPLES, (px, v) => showsColor(px, v.color, 50, 150));
      return r.checked >= 10 && r.drawn >= r.checked * 0.8 ? r : undefined;
    });
    expect(far.checked).toBeGreaterThanOrEqual(10);
    // A dot is small: 12 px off its centre is not the vehicle any more (for most of them).
    const around = await drawnCheck(s, [[12, 0]] as const, (px, v) => showsColor(px, v.color, 50, 150));
    expect(around.drawn).toBeLessThan(around.checked * 0.3);
    await s.screenshot('10-low-zoom-dots');
  });

  it('e2e: the WebGL vehicle layer (?renderer=gl) draws the vehicles in the map frame and a click hits one', async () => {
    scenario = '11-gl';
    const s = await openApp('/?renderer=gl&c=24.94000,60.17000&z=13.5');
    expect(await s.page.evaluate(() => window.__realtimemap!.renderer())).toBe('gl');
    await waitFor('vehicles', async () => (await s.rendered()).length > 10, 30_000);
    const r = await waitFor('vehicles drawn by the GL layer', async () => {
      const c = await drawnCheck(s, DISC_SAMPLES, (px, v) => showsColor(px, v.color));
      return c.checked >= 10 && c.drawn >= c.checked * 0.8 ? c : undefined;
    });
    expect(r.checked).toBeGreaterThanOrEqual(10);
    await s.screenshot('11-gl-layer');
    // Click the vehicle drawn nearest the centre: the CPU hit-test must find a vehicle drawn there.
    const c = await s.center();
    const target = (await s.rendered()).sort(
      (a, b) =>
        distanceMeters([a.lon, a.lat], [c.lon, c.lat]) - distanceMeters([b.lon, b.lat], [c.lon, c.lat]),
    )[0]!;
    const px = await s.pixelOf(target.lon, target.lat);
    await s.page.mouse.click(px.x, px.y);
    const selected = await waitFor('a vehicle selected by the click', () =>
      s.page.evaluate(() => window.__realtimemap?.ui().selectedId ?? undefined),
    );
    const hit = (await s.rendered()).find((v) => v.id === selected)!;
    const at = await s.pixelOf(hit.lon, hit.lat);
    expect(Math.hypot(at.x - px.x, at.y - px.y)).toBeLessThan(40);
  });

  it('e2e: "near me" uses the browser location: centres there and lists the closest vehicles', async () => {
    scenario = '12-near-me';
    await session?.close().catch(() => undefined);
    const here = { longitude: 24.945, latitude: 60.172 };
    session = await PageSession.open(browser, server.url, '/?c=24.94000,60.17000&z=13', {
      geolocation: here,
      permissions: ['geolocation'],
    });
    const s = session;
    await s.waitForMapReady();
    await waitFor('vehicles', async () => (await s.rendered()).length > 10, 30_000);
    await s.page.getByTestId('near-me-panel').locator('summary').click();
    await s.page.getByTestId('near-me').click();
    const list = s.page.getByTestId('near-me-list');
    await list.waitFor({ state: 'visible', timeout: 15_000 });
    const ui = await waitFor('nearby vehicles', async () => {
      const u = await s.page.evaluate(() => window.__realtimemap!.ui());
      return u.nearby.length > 0 ? u : undefined;
    });
    expect(ui.userPosition?.[0]).toBeCloseTo(here.longitude, 5);
    expect(ui.userPosition?.[1]).toBeCloseTo(here.latitude, 5);
    // Closest first, and the closest is what the server also finds closest (give or take motion).
    const meters = ui.nearby.map((n) => n.meters);
    expect([...meters].sort((a, b) => a - b)).toEqual(meters);
    const all = await api<VehicleState[]>(server, '/api/vehicles?limit=5000');
    const byDistance = all
      .map((v) => ({ id: v.vehicleId, m: distanceMeters([v.lon, v.lat], [here.longitude, here.latitude]) }))
      .sort((a, b) => a.m - b.m);
    const first = ui.nearby[0]!;
    const api0 = byDistance.find((v) => v.id === first.vehicleId);
    expect(api0).toBeDefined();
    expect(Math.abs(api0!.m - first.meters)).toBeLessThan(150);
    expect(first.meters - (byDistance[0]?.m ?? 0)).toBeLessThan(150);
    // The list shows them, with distances.
    await expect.poll(() => list.locator('li').count()).toBe(ui.nearby.length);
    expect(await list.locator('li').first().textContent()).toMatch(/\d+ m|\d+\.\d km/);
    // The map flies to the user.
    await waitFor('the map centred on the user', async () => {
      const c = await s.center();
      return distanceMeters([c.lon, c.lat], [here.longitude, here.latitude]) < 30 && c.zoom >= 14 - 0.01;
    });
    await s.screenshot('12-near-me');
  });

  it('e2e: the server restarts; the page reconnects by itself and recovers without a reload', async () => {
    scenario = '7-restart';
    const s = await openApp();
    await waitFor('vehicles', async () => (await s.rendered()).length > 10, 30_000);
    await s.page.evaluate(() => {
      (window as unknown as { __marker: number }).__marker = 42;
    });
    const { port, mqttPort } = server;
    const socketsBefore = s.sockets.length;
    await server.stop();
    const downAt = Date.now();
    await expect
      .poll(() => s.page.getByTestId('connection-state').textContent(), { timeout: 15_000 })
      .toMatch(/reconnect|offline|disconnect/i);
    // The last-known vehicles stay, drawn grey and faded.
    await waitFor('last-known vehicles, grey', async () => {
      const r = await s.rendered();
      return r.length > 10 && r.every((v) => v.stale && v.color === '#8a8a8a');
    });
    const grey = (px: Rgba) =>
      px[3] > 0 && Math.abs(px[0] - px[1]) < 16 && Math.abs(px[1] - px[2]) < 16 && px[0] > 90 && px[0] < 200;
    const drawn = await drawnCheck(s, DISC_SAMPLES, grey);
    expect(drawn.checked).toBeGreaterThan(5);
    expect(drawn.drawn).toBeGreaterThanOrEqual(drawn.checked * 0.8);
    // Nothing grey was drawn in a mode colour any more.
    const coloured = await drawnCheck(s, DISC_SAMPLES, (px) =>
      ['#007AC9', '#00985F', '#8C4799', '#FF6319', '#00B9E4'].some((c) => showsColor(px, c, 30, 1)),
    );
    expect(coloured.drawn).toBe(0);
    await s.screenshot('7-disconnected');
    // And it keeps trying: several new connection attempts while the server is down (backoff 0.5, 1, 2 s...).
    await waitFor('three reconnection attempts', () => s.sockets.length - socketsBefore >= 3, 20_000);
    expect(s.sockets.filter((t) => t > downAt).length).toBeGreaterThanOrEqual(3);
    server = await startServer({ port, mqttPort, vehicles: 200, seed: 7 });
    await expect
      .poll(() => s.page.getByTestId('connection-state').textContent(), { timeout: 60_000 })
      .toMatch(/^connected/i);
    await waitFor(
      'vehicles after the restart, in colour again',
      async () => {
        const r = await s.rendered();
        return r.length > 10 && r.every((v) => !v.stale || v.color !== '#8a8a8a');
      },
      30_000,
    );
    expect(await s.page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);
    await s.screenshot('7-reconnected');
  });
});
