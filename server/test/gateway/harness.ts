/** A gateway on a real HTTP server on port 0, a hand-driven clock, and real ws clients. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type BatchMessage,
  type BBox,
  type ClientMessage,
  decodeServerMessage,
  encodeClientMessage,
  type ServerMessage,
  type VehicleState,
} from '@realtimemap/shared';
import pino from 'pino';
import { WebSocket } from 'ws';
import { buildGateway, type Gateway, type GatewayOptions } from '../../src/gateway/gateway.ts';
import { VehicleStore } from '../../src/state/vehicle-store.ts';
import { position } from '../support/position-fixture.ts';

export interface Harness {
  readonly store: VehicleStore;
  readonly gateway: Gateway;
  readonly url: string;
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function startHarness(over: Partial<GatewayOptions> = {}): Promise<Harness> {
  let now = 1_000_000;
  const clock = () => now;
  const store = new VehicleStore({
    clock,
    staleMs: 60_000,
    removeMs: 180_000,
    trail: { maxLength: 10, maxAgeMs: 600_000 },
  });
  const gateway = buildGateway({
    store,
    logger: pino({ level: 'silent' }),
    clock,
    feedMode: 'simulated',
    // Tests drive ticks by hand: the timer's interval is beyond any test.
    tickMs: 3_600_000,
    highWaterBytes: 1 << 20,
    slowCloseMs: 10_000,
    maxFrameBytes: 1 << 20,
    maxClients: 100,
    origins: [],
    ...over,
  });
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (!gateway.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await gateway.start();
  const { port } = server.address() as AddressInfo;
  return {
    store,
    gateway,
    url: `ws://127.0.0.1:${port}/ws`,
    advance: (ms) => {
      now += ms;
    },
    async close() {
      await gateway.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface TestClient {
  readonly socket: WebSocket;
  readonly messages: ServerMessage[];
  /** Raw binary frames as received. */
  readonly frames: Uint8Array[];
  send(message: ClientMessage): void;
  viewport(bbox: BBox): void;
  waitFor<T extends ServerMessage['type']>(
    type: T,
    from?: number,
  ): Promise<Extract<ServerMessage, { type: T }>>;
  closed: Promise<{ code: number; reason: string }>;
}

export async function waitUntil(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
  const socket = new WebSocket(url, { headers });
  const messages: ServerMessage[] = [];
  const frames: Uint8Array[] = [];
  socket.on('message', (data, isBinary) => {
    const frame = isBinary ? new Uint8Array(data as Buffer) : data.toString();
    if (frame instanceof Uint8Array) frames.push(frame);
    messages.push(decodeServerMessage(frame));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const client: TestClient = {
    socket,
    messages,
    frames,
    closed,
    send: (m) => socket.send(encodeClientMessage(m)),
    viewport: (bbox) => socket.send(encodeClientMessage({ type: 'viewport', bbox, zoom: 13 })),
    async waitFor(type, from = 0) {
      let found: ServerMessage | undefined;
      await waitUntil(() => {
        found = messages.slice(from).find((m) => m.type === type);
        return found !== undefined;
      }, `a ${type} message`);
      return found as never;
    },
  };
  await client.waitFor('hello');
  return client;
}

/** Messages in order: once the pong is in, everything sent before it is too. */
export async function settle(client: TestClient): Promise<void> {
  const t = Math.random();
  client.send({ type: 'ping', t });
  await waitUntil(() => client.messages.some((m) => m.type === 'pong' && m.t === t), 'pong');
}

export const batches = (c: TestClient): BatchMessage[] =>
  c.messages.filter((m): m is BatchMessage => m.type === 'batch');

/**
 * Moves `n` vehicles laid out on a grid (30 a row from 24.85, 60.12; 1,500 fit in 24.8–25.1 × 60.1–60.3),
 * each a little further north each `round`, with event time `round` s.
 */
export function moveFleet(h: Harness, n: number, round: number, headsign: string): void {
  for (let i = 0; i < n; i++) {
    h.store.apply(
      position({
        vehicleId: `0022/${String(i).padStart(5, '0')}`,
        vehicleNumber: String(i).padStart(5, '0'),
        lon: 24.85 + (i % 30) * 0.008,
        lat: 60.12 + Math.floor(i / 30) * 0.003 + round * 1e-6,
        eventTime: round * 1000,
        headsign,
      }),
    );
  }
}

/** What the client holds after applying every snapshot and batch in order. */
export function clientView(c: TestClient): Map<string, VehicleState> {
  const view = new Map<string, VehicleState>();
  for (const m of c.messages) {
    if (m.type === 'snapshot') {
      view.clear();
      for (const v of m.vehicles) view.set(v.vehicleId, v);
    } else if (m.type === 'batch') {
      for (const id of m.removed) view.delete(id);
      for (const v of m.updates) view.set(v.vehicleId, v);
    }
  }
  return view;
}
