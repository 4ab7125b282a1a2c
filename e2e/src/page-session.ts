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
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
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
  /** Fill colour drawn, #rrggbb (grey for a last-known vehicle). */
  readonly color: string;
  /** Drawn faded (stale, or the page is disconnected). */
  readonly stale: boolean;
}

/** A pixel as read back from what the page drew: r, g, b, a (0..255, not premultiplied). */
export type Rgba = [number, number, number, number];

export class PageSession {
  readonly external: string[] = [];
  readonly console: string[] = [];
  readonly sent: Frame<ClientMessage>[] = [];
  readonly received: Frame<ServerMessage>[] = [];
  readonly undecodable: string[] = [];
  /** When the page opened each WebSocket (connection attempts, including failed ones). */
  readonly sockets: number[] = [];
  private context: BrowserContext | null = null;

  private constructor(
    readonly page: Page,
    readonly origin: string,
  ) {}

  /** `context` options (geolocation, permissions...) open the page in a context of its own. */
  static async open(
    browser: Browser,
    origin: string,
    path = '/',
    context?: BrowserContextOptions,
  ): Promise<PageSession> {
    const viewport = { width: 1280, height: 800 };
    const ctx = context ? await browser.newContext({ viewport, ...context }) : null;
    const page = ctx ? await ctx.newPage() : await browser.newPage({ viewport });
    const session = new PageSession(page, origin);
    session.context = ctx;
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
      session.sockets.push(Date.now());
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

  /**
   * What the page drew for the vehicles it says it rendered: for each (at most `max`, clear of the
   * edges), its pixels at `samples` offsets (CSS px) from where it is projected. Read in one go with the
   * vehicle list, so moving vehicles cannot drift between the two: from the 2D vehicle canvas (renderer
   * "canvas": the vehicles alone), or from the map's WebGL drawing buffer inside a frame (renderer "gl":
   * vehicles over the base map). Pixels are r, g, b, a, not premultiplied.
   */
  drawnVehicles(
    samples: readonly (readonly [number, number])[],
    max = 40,
  ): Promise<{ vehicle: RenderedVehicle; pixels: Rgba[] }[]> {
    return this.page.evaluate(
      async ([offsets, limit]) => {
        type Px = [number, number, number, number];
        const hook = window.__realtimemap!;
        const map = hook.map!;
        const dpr = window.devicePixelRatio || 1;
        const read = (pixel: (x: number, y: number) => Px) => {
          const canvas = map.getCanvas();
          const out: { vehicle: ReturnType<typeof hook.renderedVehicles>[number]; pixels: Px[] }[] = [];
          for (const vehicle of hook.renderedVehicles()) {
            const p = map.project([vehicle.lon, vehicle.lat]);
            if (p.x < 20 || p.y < 20 || p.x > canvas.clientWidth - 20 || p.y > canvas.clientHeight - 20)
              continue;
            out.push({
              vehicle,
              pixels: offsets.map(([dx, dy]) =>
                pixel(Math.round((p.x + dx) * dpr), Math.round((p.y + dy) * dpr)),
              ),
            });
            if (out.length >= limit) break;
          }
          return out;
        };
        if (hook.renderer() === 'canvas') {
          const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="vehicle-canvas"]');
          const ctx = canvas?.getContext('2d');
          return read((x, y) => (ctx ? (Array.from(ctx.getImageData(x, y, 1, 1).data) as Px) : [0, 0, 0, 0]));
        }
        return new Promise<ReturnType<typeof read>>((resolve) => {
          map.once('render', () => {
            const canvas = map.getCanvas();
            const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext;
            const h = gl.drawingBufferHeight;
            resolve(
              read((x, y) => {
                const px = new Uint8Array(4);
                gl.readPixels(x, h - 1 - y, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
                return Array.from(px) as Px;
              }),
            );
          });
          map.triggerRepaint();
        });
      },
      [samples, max] as const,
    );
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
    await this.context?.close();
  }
}

/** Hex colour (#rrggbb) to r, g, b. */
export function hexRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** True when a pixel shows `hex` (within `tolerance` per channel) with at least `minAlpha` coverage. */
export function showsColor(px: Rgba, hex: string, tolerance = 40, minAlpha = 200): boolean {
  const [r, g, b] = hexRgb(hex);
  return (
    px[3] >= minAlpha &&
    Math.abs(px[0] - r) <= tolerance &&
    Math.abs(px[1] - g) <= tolerance &&
    Math.abs(px[2] - b) <= tolerance
  );
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
