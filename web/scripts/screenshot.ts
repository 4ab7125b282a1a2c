/**
 * Dev aid: a screenshot of the page in Debian's Chromium, to look at what was built.
 *   tsx scripts/screenshot.ts [url|-] [out.png] [query]
 * With a URL it loads that server (e.g. `pnpm start`); with `-` it serves dist/ with a fake API and a
 * synthetic city of $N vehicles (default 300). Prints console errors and any request leaving the origin.
 */
import { launchBenchChromium, OFFLINE_CONFIG } from '../bench/support/bench-browser.ts';
import { startStaticApp } from '../bench/support/static-app.ts';
import { SyntheticCity } from '../bench/support/synthetic-city.ts';
import { serveSyntheticCity } from '../bench/support/synthetic-socket.ts';

const target = process.argv[2] && process.argv[2] !== '-' ? process.argv[2] : null;
const out = process.argv[3] ?? 'screenshot.png';
const query = process.argv[4] ?? '';
const waitMs = Number(process.env.WAIT ?? 6_000);

const app = target
  ? null
  : await startStaticApp(new URL('../dist', import.meta.url).pathname, OFFLINE_CONFIG);
const browser = await launchBenchChromium();
let socket: { stop(): void } | undefined;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(180_000);
  const base = target ?? app?.url ?? '';
  page.on('console', (m) => {
    if (m.type() === 'error') console.log('console error:', m.text());
  });
  page.on('pageerror', (e) => console.log('page error:', e.message));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(base) && !u.startsWith('blob:') && !u.startsWith('data:')) console.log('EXTERNAL', u);
  });
  if (app) {
    const city = new SyntheticCity(Number(process.env.N ?? 300), [24.9, 60.16, 24.98, 60.19]);
    socket = await serveSyntheticCity(page, city);
  }
  await page.goto(base + query);
  await page.waitForFunction(() => window.__realtimemap?.ready() === true);
  await page.waitForTimeout(waitMs); // let vehicles arrive and move before the picture
  const stats = await page.evaluate(() => ({
    ...window.__realtimemap?.stats(),
    rendered: window.__realtimemap?.renderedVehicles().length,
  }));
  console.log('stats', JSON.stringify(stats));
  await page.screenshot({ path: out });
  console.log('wrote', out);
} finally {
  socket?.stop();
  await browser.close();
  await app?.close();
}
