// Dev aid (temporary): screenshot of the built page with the synthetic city.
import { encodeServerMessage, PROTOCOL_VERSION } from '@realtimemap/shared';

const enc = (m: Parameters<typeof encodeServerMessage>[0]) => {
  const f = encodeServerMessage(m);
  return typeof f === 'string' ? f : Buffer.from(f as Uint8Array);
};

import { chromium } from 'playwright-core';
import { startStaticApp } from './static-app.ts';
import { SyntheticCity } from './synthetic-city.ts';

const url0 = process.argv[2];
const out = process.argv[3] ?? '/tmp/shot.png';
const app = url0
  ? null
  : await startStaticApp(new URL('../../dist', import.meta.url).pathname, {
      styleUrl: null,
      feedMode: 'simulated',
      protocolVersion: 1,
      center: [24.94, 60.175],
      zoom: 13,
    });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
page.on('request', (r) => {
  if (!r.url().startsWith('http://127.0.0.1')) console.log('EXTERNAL', r.url());
});
if (app) {
  const city = new SyntheticCity(Number(process.env.N ?? 300), [24.9, 60.16, 24.98, 60.19]);
  await page.routeWebSocket(/\/ws$/, (ws) => {
    let started = false;
    ws.onMessage((m) => {
      console.log('client->', String(m).slice(0, 80));
      if (started) return;
      started = true;
      ws.send(
        enc({
          type: 'hello',
          protocol: PROTOCOL_VERSION,
          serverTime: Date.now(),
          feedMode: 'simulated',
          tickMs: 1000,
        }) as never,
      );
      ws.send(
        JSON.stringify({
          type: 'status',
          feedMode: 'simulated',
          vehicles: 12345,
          messagesPerSecond: 1,
          clients: 1,
        }),
      );
      ws.send(enc({ type: 'snapshot', serverTime: Date.now(), vehicles: city.vehicles }) as never);
      setInterval(
        () =>
          ws.send(enc({ type: 'batch', serverTime: Date.now(), updates: city.tick(), removed: [] }) as never),
        1000,
      );
    });
  });
}
await page.goto((url0 ?? app?.url ?? '') + (process.argv[4] ?? ''));
await page.waitForTimeout(Number(process.env.WAIT ?? 5000));
console.log(
  'stats',
  JSON.stringify(
    await page.evaluate(() => ({
      s: window.__realtimemap?.stats(),
      loaded: window.__realtimemap?.ready(),
      n: window.__realtimemap?.renderedVehicles().length,
      ui: [window.__realtimemap?.ui().totalVehicles, window.__realtimemap?.ui().connection],
      inj:
        (window.__realtimemap?.inject({
          type: 'snapshot',
          serverTime: 0,
          vehicles: [
            {
              vehicleId: 'x',
              lon: 24.94,
              lat: 60.17,
              mode: 'bus',
              line: '1',
              heading: 0,
              eventTime: 1,
            } as never,
          ],
        }),
        [window.__realtimemap?.stats().buffered, window.__realtimemap?.flush()]),
    })),
  ),
);
await page.screenshot({ path: out, timeout: 180_000 });
await browser.close();
await app?.close();
process.exit(0);
