/**
 * One browser page on the app, with what the scenarios check recorded as it happens: requests outside
 * the app's origin, the console, and the WebSocket frames both ways (server frames decoded with the
 * shared protocol codec). Evidence (screenshots, console log) goes to one folder per run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type ClientMessage,
  decodeClientMessage,
  decodeServerMessage,
  type ServerMessage,
} from '@realtimemap/shared';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from './server-process.ts';

export const EVIDENCE_DIR = resolve(REPO_ROOT, 'reports/e2e');

export interface Frame<T> {
  readonly at: number;
  readonly message: T;
}

export interface RenderedVehicle {
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
  readonly line: string | null;
}

export class PageSession {
  readonly external: string[] = [];
  readonly console: string[] = [];
  readonly sent: Frame<ClientMessage>[] = [];
  readonly received: Frame<ServerMessage>[] = [];
  readonly undecodable: string[] = [];

  private constructor(
    readonly page: Page,
    readonly origin: string,
  ) {}

  static async open(browser: Browser, origin: string, path = '/'): Promise<PageSession> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const session = new PageSession(page, origin);
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith(`blob:${origin}`)) {
        session.external.push(url);
      }
    });
    page.on('console', (m) => session.console.push(`[${m.type()}] ${m.text()}`));
    page.on('response', (r) => {
      if (r.status() >= 400) session.console.push(`[http ${r.status()}] ${r.url()}`);
    });
    page.on('pageerror', (e) => session.console.push(`[pageerror] ${e.message}`));
    page.on('websocket', (ws) => {
      ws.on('framesent', (f) => {
        try {
          session.sent.push({ at: Date.now(), message: decodeClientMessage(f.payload as string) });
        } catch {
          session.undecodable.push('client frame');
        }
      });
      ws.on('framereceived', (f) => {
        try {
          const payload = typeof f.payload === 'string' ? f.payload : new Uint8Array(f.payload);
          session.received.push({ at: Date.now(), message: decodeServerMessage(payload) });
        } catch {
          session.undecodable.push('server frame');
        }
      });
    });
    await page.goto(origin + path);
    return session;
  }

  /** Base style loaded (the debug hook's `ready`). */
  async waitForMapReady(timeoutMs = 60_000): Promise<void> {
    await this.page.waitForFunction(() => window.__realtimemap?.ready() === true, null, {
      timeout: timeoutMs,
    });
  }

  rendered(): Promise<RenderedVehicle[]> {
    return this.page.evaluate(() => window.__realtimemap?.renderedVehicles() ?? []);
  }

  /** West, south, east, north of what the map shows. */
  bounds(): Promise<[number, number, number, number]> {
    return this.page.evaluate(() => {
      const b = window.__realtimemap!.map!.getBounds();
      return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] as [number, number, number, number];
    });
  }

  center(): Promise<{ lon: number; lat: number; zoom: number }> {
    return this.page.evaluate(() => {
      const m = window.__realtimemap!.map!;
      const c = m.getCenter();
      return { lon: c.lng, lat: c.lat, zoom: m.getZoom() };
    });
  }

  /** Page pixel of a coordinate (the map fills the page from its top-left corner). */
  async pixelOf(lon: number, lat: number): Promise<{ x: number; y: number }> {
    return this.page.evaluate(
      ([lo, la]) => {
        const m = window.__realtimemap!.map!;
        const p = m.project([lo as number, la as number]);
        const r = m.getCanvas().getBoundingClientRect();
        return { x: r.left + p.x, y: r.top + p.y };
      },
      [lon, lat],
    );
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(EVIDENCE_DIR, { recursive: true });
    const file = resolve(EVIDENCE_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Screenshot + console log for a failed scenario. */
  async leaveEvidence(name: string): Promise<void> {
    mkdirSync(EVIDENCE_DIR, { recursive: true });
    await this.screenshot(`FAILED-${name}`).catch(() => undefined);
    writeFileSync(resolve(EVIDENCE_DIR, `FAILED-${name}.console.log`), this.console.join('\n'));
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

/** Polls `check` until it returns a value that is not undefined/false, or throws after the deadline. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
