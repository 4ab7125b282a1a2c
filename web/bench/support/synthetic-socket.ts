/**
 * The app's WebSocket (`/ws`) answered inside the page by a synthetic city: hello, an optional status,
 * a snapshot, then one batch a second. Shared by the render bench and the screenshot/profile scripts,
 * so none of them needs a server.
 */
import { encodeServerMessage, PROTOCOL_VERSION, type ServerMessage } from '@realtimemap/shared';
import type { Page } from 'playwright-core';
import type { SyntheticCity } from './synthetic-city.ts';

/** One server message as the WebSocket frame the app expects. */
function frame(m: ServerMessage): string | Buffer {
  const f = encodeServerMessage(m);
  return typeof f === 'string' ? f : Buffer.from(f instanceof ArrayBuffer ? new Uint8Array(f) : f);
}

export interface SyntheticSocketOptions {
  /** Send a status message after hello (the status bar's totals). Default false. */
  readonly status?: boolean;
  /** Send the snapshot and batches. Default true; false leaves the socket at hello (a baseline page). */
  readonly vehicles?: boolean;
}

/** Routes `/ws` on `page` to `city`. Call `stop()` to end the batches. */
export async function serveSyntheticCity(
  page: Page,
  city: SyntheticCity,
  options: SyntheticSocketOptions = {},
): Promise<{ stop(): void }> {
  const timers: ReturnType<typeof setInterval>[] = [];
  await page.routeWebSocket(/\/ws$/, (ws) => {
    ws.send(
      frame({
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        serverTime: Date.now(),
        feedMode: 'simulated',
        tickMs: 1000,
      }),
    );
    if (options.status)
      ws.send(
        frame({
          type: 'status',
          feedMode: 'simulated',
          vehicles: city.vehicles.length,
          messagesPerSecond: city.vehicles.length,
          clients: 1,
        }),
      );
    if (options.vehicles === false) return;
    ws.send(frame({ type: 'snapshot', serverTime: Date.now(), vehicles: city.vehicles }));
    timers.push(
      setInterval(
        () => ws.send(frame({ type: 'batch', serverTime: Date.now(), updates: city.tick(), removed: [] })),
        1000,
      ),
    );
  });
  return {
    stop() {
      for (const t of timers) clearInterval(t);
    },
  };
}
