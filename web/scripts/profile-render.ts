/**
 * Dev aid: where the page's main thread spends its time with N synthetic vehicles (default 3,000):
 * main-thread ms per frame, a CPU profile over CDP (self time by function, top 25), the WebGL renderer.
 *   tsx scripts/profile-render.ts [query]      (after `pnpm --filter @realtimemap/web build`)
 * Env: N vehicles, MS profile length, FORCE=1 repaints the map every frame, HIDE=1 hides every map
 * layer (what is left is the cost of a repaint itself). "(program)" time is native work, mostly
 * waiting for the software GPU: with SwiftShader it dominated every MapLibre repaint.
 */
import { launchBenchChromium, OFFLINE_CONFIG } from '../bench/support/bench-browser.ts';
import { startStaticApp } from '../bench/support/static-app.ts';
import { SyntheticCity } from '../bench/support/synthetic-city.ts';
import { serveSyntheticCity } from '../bench/support/synthetic-socket.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const query = process.argv[2] ?? '';
const app = await startStaticApp(new URL('../dist', import.meta.url).pathname, OFFLINE_CONFIG);
const browser = await launchBenchChromium();
let socket: { stop(): void } | undefined;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const city = new SyntheticCity(Number(process.env.N ?? 3000), [24.88, 60.15, 25.0, 60.2]);
  socket = await serveSyntheticCity(page, city);
  await page.addInitScript('window.__name = (f) => f;');
  await page.goto(app.url + query);
  await page.waitForFunction(() => window.__realtimemap?.ready() === true, null, { timeout: 120_000 });
  await page.waitForTimeout(3000);
  const renderer = await page.evaluate(() => {
    const gl = window.__realtimemap?.map?.getCanvas().getContext('webgl2');
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    return { webgl2: !!gl, renderer: ext && gl ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : null };
  });
  console.log('renderer', JSON.stringify(renderer));
  if (process.env.HIDE) {
    // Hide every base layer: what is left is the cost of a repaint itself (clear, readback, composite).
    await page.evaluate(() => {
      const map = window.__realtimemap?.map;
      for (const l of map?.getStyle().layers ?? []) map?.setLayoutProperty(l.id, 'visibility', 'none');
    });
  }
  if (process.env.FORCE) {
    // Repaint every frame whatever moved: the cost of one full map frame.
    await page.evaluate(() => {
      const loop = () => {
        window.__realtimemap?.map?.triggerRepaint();
        requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    });
  }
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number };
    w.__frames = 0;
    const count = () => {
      w.__frames++;
      requestAnimationFrame(count);
    };
    requestAnimationFrame(count);
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async () =>
    (
      (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }
    ).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
  const task0 = await metric();
  const frames0 = await page.evaluate(() => (window as unknown as { __frames: number }).__frames);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.waitForTimeout(Number(process.env.MS ?? 4000));
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  };
  const task1 = await metric();
  const frames1 = await page.evaluate(() => (window as unknown as { __frames: number }).__frames);
  const frames = Math.max(1, frames1 - frames0);
  console.log(
    `frames ${frames}, main-thread ms/frame ${(((task1 - task0) * 1000) / frames).toFixed(1)}, draws ${JSON.stringify(await page.evaluate(() => window.__realtimemap?.stats()))}`,
  );
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const n = byNode.get(id);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    if (!n) return;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  console.log(`profile ${total.toFixed(0)} ms`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`${v.toFixed(1).padStart(8)} ms  ${k}`);
  }
} finally {
  socket?.stop();
  await browser.close();
  await app.close();
}
