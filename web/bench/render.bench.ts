/**
 * Browser benchmark: the built page in Debian's Chromium (never downloaded) with 3,000 synthetic
 * vehicles updating once a second. Measures main-thread time per frame (CDP TaskDuration / frames
 * drawn), long tasks, and the time to apply one update batch, for our renderer (one rAF loop -> typed
 * arrays -> the vehicles drawn once one moved a pixel: the 2D overlay the page picks under software
 * WebGL, and, forced with ?renderer=gl, the WebGL custom layer inside MapLibre's frame) and, in the
 * same run, a naive baseline: one DOM marker per vehicle positioned every frame (what per-vehicle
 * <Marker> components do). Run: `pnpm bench render` (after `pnpm build`).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchBenchChromium, OFFLINE_CONFIG } from './support/bench-browser.ts';
import { startStaticApp } from './support/static-app.ts';
import { SyntheticCity } from './support/synthetic-city.ts';
import { serveSyntheticCity } from './support/synthetic-socket.ts';

const COUNT = 3_000;
const WARMUP_MS = 3_000;
const MEASURE_MS = 8_000;
const BBOX: [number, number, number, number] = [24.88, 60.15, 25.0, 60.2];
interface Figures {
  frames: number;
  mainMsPerFrame: number;
  fps: number;
  applyMsAvg: number;
  applyMsMax: number;
  loopMsPerFrame: number | null;
  layerMsPerDraw: number | null;
  drawsPerSecond: number | null;
  renderer: string;
  longTasks: number;
  longTaskMaxMs: number;
  rendered: number;
}

/** The naive baseline, run inside the page: a DOM element per vehicle, moved every frame. */
function naiveRenderer(): void {
  const w = window as unknown as Record<string, unknown>;
  const map = (
    w.__realtimemap as {
      map: { getContainer(): HTMLElement; project(p: [number, number]): { x: number; y: number } };
    }
  ).map;
  const container = map.getContainer();
  type M = { el: HTMLElement; fx: number; fy: number; tx: number; ty: number; start: number };
  const markers = new Map<string, M>();
  const stats = { applyCount: 0, applyMsTotal: 0, applyMsMax: 0, frames: 0 };
  w.__naive = stats;
  const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/naive`);
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data));
    const list = (m.type === 'snapshot' ? m.vehicles : m.updates) as {
      vehicleId: string;
      lon: number;
      lat: number;
      line: string;
      heading: number;
    }[];
    const t0 = performance.now();
    const now = performance.now();
    for (const v of list) {
      let mk = markers.get(v.vehicleId);
      if (!mk) {
        const el = document.createElement('div');
        el.style.cssText =
          'position:absolute;left:0;top:0;width:22px;height:22px;border-radius:50%;background:#007AC9;color:#fff;' +
          'font:bold 10px sans-serif;display:flex;align-items:center;justify-content:center;border:2px solid #fff;';
        el.textContent = v.line;
        container.appendChild(el);
        mk = { el, fx: v.lon, fy: v.lat, tx: v.lon, ty: v.lat, start: now };
        markers.set(v.vehicleId, mk);
      } else {
        const k = Math.min(1, (now - mk.start) / 1000);
        mk.fx += (mk.tx - mk.fx) * k;
        mk.fy += (mk.ty - mk.fy) * k;
        mk.tx = v.lon;
        mk.ty = v.lat;
        mk.start = now;
      }
      mk.el.title = `${v.line} ${v.heading}`;
    }
    const ms = performance.now() - t0;
    stats.applyCount++;
    stats.applyMsTotal += ms;
    stats.applyMsMax = Math.max(stats.applyMsMax, ms);
  };
  const loop = () => {
    requestAnimationFrame(loop);
    const now = performance.now();
    for (const mk of markers.values()) {
      const k = Math.min(1, (now - mk.start) / 1000);
      const p = map.project([mk.fx + (mk.tx - mk.fx) * k, mk.fy + (mk.ty - mk.fy) * k]);
      mk.el.style.transform = `translate(${p.x - 11}px, ${p.y - 11}px)`;
    }
  };
  requestAnimationFrame(loop);
}

/** ours: the renderer the page picks (2D overlay under software GL); ours-gl: forced WebGL layer. */
type Mode = 'ours' | 'ours-gl' | 'naive';

async function measure(browser: Browser, url: string, mode: Mode): Promise<Figures> {
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const city = new SyntheticCity(COUNT, BBOX);
  const timers: ReturnType<typeof setInterval>[] = [];
  const socket = await serveSyntheticCity(page, city, { status: true, vehicles: mode !== 'naive' });
  await page.routeWebSocket(/\/naive$/, (ws) => {
    // The baseline parses JSON itself, whatever the app's wire encoding.
    ws.send(JSON.stringify({ type: 'snapshot', vehicles: city.vehicles }));
    timers.push(setInterval(() => ws.send(JSON.stringify({ type: 'batch', updates: city.tick() })), 1_000));
  });
  // tsx (esbuild keepNames) wraps named functions in __name(); functions sent to the page need it too.
  await page.addInitScript('window.__name = (f) => f;');
  await page.goto(mode === 'ours-gl' ? `${url}/?renderer=gl` : url);
  await page.waitForFunction(() => window.__realtimemap?.ready() === true, null, { timeout: 120_000 });
  if (mode !== 'naive') {
    await page.waitForFunction((n) => (window.__realtimemap?.renderedVehicles().length ?? 0) >= n, COUNT, {
      timeout: 120_000,
    });
  }
  if (mode === 'naive') await page.evaluate(naiveRenderer);
  await page.waitForTimeout(WARMUP_MS);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const before = await page.evaluate(() => {
    const w = window as unknown as {
      __frames?: number;
      __long?: { count: number; max: number; total: number };
    };
    w.__frames = 0;
    // Main-thread tasks over 50 ms (the browser's "long task"): the frames a user sees stutter.
    const long = { count: 0, max: 0, total: 0 };
    w.__long = long;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        long.count++;
        long.total += e.duration;
        long.max = Math.max(long.max, e.duration);
      }
    }).observe({ type: 'longtask' });
    const count = () => {
      w.__frames = (w.__frames ?? 0) + 1;
      requestAnimationFrame(count);
    };
    requestAnimationFrame(count);
    const n = (window as unknown as { __naive?: { applyCount: number; applyMsTotal: number } }).__naive;
    const s = window.__realtimemap?.stats();
    return { app: s, naive: n ? { ...n } : null };
  });
  const task0 = await taskDuration(cdp);
  const t0 = Date.now();
  // Fixed-length measurement window: this is a benchmark, not a synchronisation.
  await page.waitForTimeout(MEASURE_MS);
  const task1 = await taskDuration(cdp);
  const elapsed = Date.now() - t0;
  const after = await page.evaluate(() => ({
    frames: (window as unknown as { __frames: number }).__frames,
    app: window.__realtimemap?.stats(),
    naive: (
      window as unknown as { __naive?: { applyCount: number; applyMsTotal: number; applyMsMax: number } }
    ).__naive,
    rendered: window.__realtimemap?.renderedVehicles().length ?? 0,
    renderer: window.__realtimemap?.renderer() ?? 'dom',
    long: (window as unknown as { __long: { count: number; max: number; total: number } }).__long,
  }));
  socket.stop();
  for (const t of timers) clearInterval(t);
  await page.close();
  const frames = Math.max(1, after.frames);
  let applyMsAvg = 0;
  let applyMsMax = 0;
  let loopMsPerFrame: number | null = null;
  let layerMsPerDraw: number | null = null;
  let drawsPerSecond: number | null = null;
  if (mode !== 'naive' && after.app && before.app) {
    const n = after.app.applyCount - before.app.applyCount;
    applyMsAvg = n > 0 ? (after.app.applyMsTotal - before.app.applyMsTotal) / n : 0;
    applyMsMax = after.app.applyMsMax;
    const f = after.app.frames - before.app.frames;
    loopMsPerFrame = f > 0 ? (after.app.workMs - before.app.workMs) / f : 0;
    const d = after.app.draws - before.app.draws;
    layerMsPerDraw = d > 0 ? (after.app.drawMs - before.app.drawMs) / d : 0;
    drawsPerSecond = (d * 1000) / elapsed;
  } else if (after.naive && before.naive) {
    const n = after.naive.applyCount - before.naive.applyCount;
    applyMsAvg = n > 0 ? (after.naive.applyMsTotal - before.naive.applyMsTotal) / n : 0;
    applyMsMax = after.naive.applyMsMax;
  }
  return {
    frames,
    mainMsPerFrame: ((task1 - task0) * 1000) / frames,
    fps: (frames * 1000) / elapsed,
    applyMsAvg,
    applyMsMax,
    loopMsPerFrame,
    layerMsPerDraw,
    drawsPerSecond,
    renderer: after.renderer,
    longTasks: after.long.count,
    longTaskMaxMs: after.long.max,
    rendered: mode !== 'naive' ? after.rendered : COUNT,
  };
}

async function taskDuration(cdp: {
  send(m: 'Performance.getMetrics'): Promise<{ metrics: { name: string; value: number }[] }>;
}) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`render.bench: skipped, ${CHROMIUM} not installed`);
    return;
  }
  const dist = join(dirname(new URL(import.meta.url).pathname), '..', 'dist');
  const app = await startStaticApp(dist, OFFLINE_CONFIG);
  const browser = await launchBenchChromium();

  try {
    const ours = await measure(browser, app.url, 'ours');
    const naive = await measure(browser, app.url, 'naive');
    const gl = await measure(browser, app.url, 'ours-gl');
    const f = (n: number) => n.toFixed(2).padStart(9);
    console.log(
      `render.bench: ${COUNT} vehicles, 1 batch/s, ${MEASURE_MS / 1000} s window, 1280x800, software GL`,
    );
    console.log(
      `                              ours (${ours.renderer.padEnd(6)})          baseline (DOM marker per vehicle)   ratio`,
    );
    console.log(
      `main-thread ms / frame      ${f(ours.mainMsPerFrame)}              ${f(naive.mainMsPerFrame)}                   ${(naive.mainMsPerFrame / ours.mainMsPerFrame).toFixed(2)}x`,
    );
    console.log(
      `frames / s                  ${f(ours.fps)}              ${f(naive.fps)}                   ${(ours.fps / naive.fps).toFixed(2)}x`,
    );
    console.log(
      `apply batch ms (avg)        ${f(ours.applyMsAvg)}              ${f(naive.applyMsAvg)}                   ${(naive.applyMsAvg / Math.max(ours.applyMsAvg, 1e-6)).toFixed(2)}x`,
    );
    console.log(`apply batch ms (max)        ${f(ours.applyMsMax)}              ${f(naive.applyMsMax)}`);
    console.log(
      `long tasks (>50 ms) / s     ${f((ours.longTasks * 1000) / MEASURE_MS)}              ${f((naive.longTasks * 1000) / MEASURE_MS)}`,
    );
    console.log(
      `longest task ms             ${f(ours.longTaskMaxMs)}              ${f(naive.longTaskMaxMs)}`,
    );
    for (const r of [ours, gl]) {
      console.log(
        `ours, ${r.renderer.padEnd(6)} renderer: main-thread ms / frame ${r.mainMsPerFrame.toFixed(2)} (${(naive.mainMsPerFrame / r.mainMsPerFrame).toFixed(2)}x the baseline), ` +
          `${r.fps.toFixed(1)} frames/s; vehicles drawn ${r.drawsPerSecond?.toFixed(1)} times/s, ` +
          `${r.layerMsPerDraw?.toFixed(2)} ms each; loop ${r.loopMsPerFrame?.toFixed(2)} ms/frame; ` +
          `${((r.longTasks * 1000) / MEASURE_MS).toFixed(1)} long tasks/s; rendered ${r.rendered}`,
      );
    }
  } finally {
    await browser.close();
    await app.close();
  }
}

await main();
