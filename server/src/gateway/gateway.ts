/**
 * The WebSocket gateway: per tick, changed vehicles are encoded once into grid-cell parts, and each
 * client gets one frame assembled from the parts of the cells its viewport touches. Slow clients are
 * coalesced (latest per vehicle), then closed (4008). Uses `ws` directly in noServer mode on the
 * HTTP server's upgrade event: the fan-out needs pre-encoded shared buffers and bufferedAmount.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  assembleFrame,
  ByteWriter,
  encodeRemovedId,
  encodeServerMessage,
  encodeVehicleRecord,
  type FeedMode,
  FRAME_HEADER_BYTES,
  FRAME_TAG_BATCH,
  FRAME_TAG_SNAPSHOT,
  PROTOCOL_VERSION,
  parseClientMessage,
  type ServerMessage,
  type VehicleState,
} from '@realtimemap/shared';
import type { Logger } from 'pino';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { Clock } from '../state/clock.ts';
import type { VehicleChange, VehicleStore } from '../state/vehicle-store.ts';
import type { Server } from '../transport/server.ts';
import { CellPart, type EncodedVehicle } from './cell-part.ts';
import { ClientSession } from './client-session.ts';
import { CLOSE, GATEWAY_BAD_MESSAGE, GATEWAY_ORIGIN_REJECTED, GATEWAY_TOO_MANY_CLIENTS } from './errors.ts';
import { CELL_LAT, CELL_LON, type CellKey, CellView, cellOf } from './grid.ts';
import { originAllowed } from './origin-allowed.ts';
import { collectForClient, emptyPieces, type FramePieces, selects, type TickParts } from './tick-frames.ts';

export interface GatewayOptions {
  readonly store: VehicleStore;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly feedMode: FeedMode;
  readonly tickMs: number;
  readonly highWaterBytes: number;
  readonly slowCloseMs: number;
  readonly maxFrameBytes: number;
  readonly maxClients: number;
  /** Allowed Origins besides same-origin; '*' = any. */
  readonly origins: readonly string[];
  readonly path?: string;
  readonly heartbeatMs?: number;
  readonly statusIntervalMs?: number;
  /** After the slow-consumer close frame, how long the client has to read it before the socket is cut (default 5 s). */
  readonly closeGraceMs?: number;
  /** Coalesced ids kept per slow client before it is owed a full snapshot instead. */
  readonly maxPending?: number;
  /** Figures for the `status` message. */
  readonly status?: () => { readonly messagesPerSecond: number };
  /** Called per frame sent with (now - arrival of its oldest position), ms. */
  readonly onFrameLatency?: (ms: number) => void;
}

export interface GatewayStats {
  readonly clients: number;
  readonly ticks: number;
  readonly frames: number;
  readonly bytes: number;
  readonly updates: number;
  readonly snapshots: number;
  readonly recordsEncoded: number;
  readonly coalesced: number;
  readonly slowClosed: number;
  readonly rejected: number;
  readonly badMessages: number;
}

export interface Gateway extends Server {
  /** For the HTTP server's `upgrade` event; ignores other paths (returns false). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** One batching step (the timer calls it; tests may too). */
  tick(): void;
  broadcast(message: ServerMessage): void;
  stats(): GatewayStats;
}

export function buildGateway(options: GatewayOptions): Gateway {
  const { store, logger, clock } = options;
  const path = options.path ?? '/ws';
  const maxPending = options.maxPending ?? 20_000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
  const clients = new Set<ClientSession>();
  const changed = new Map<string, VehicleChange>();
  const records = new Map<string, EncodedVehicle>();
  const cellOfVehicle = new Map<string, CellKey>();
  const writer = new ByteWriter(256);
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: (() => void) | undefined;
  let nextId = 1;
  let stopping = false;
  const s = {
    ticks: 0,
    frames: 0,
    bytes: 0,
    updates: 0,
    snapshots: 0,
    recordsEncoded: 0,
    coalesced: 0,
    slowClosed: 0,
    rejected: 0,
    badMessages: 0,
  };

  const encoded = (v: VehicleState): EncodedVehicle => {
    let e = records.get(v.vehicleId);
    if (!e) {
      s.recordsEncoded++;
      e = {
        id: v.vehicleId,
        mode: v.mode,
        routeId: v.routeId,
        line: v.line,
        record: encodeVehicleRecord(v, writer),
        idBytes: encodeRemovedId(v.vehicleId, writer),
      };
      records.set(v.vehicleId, e);
    }
    return e;
  };

  const sendRaw = (client: ClientSession, frame: string | Uint8Array): void => {
    if (client.socket.readyState !== WebSocket.OPEN) return;
    client.socket.send(frame);
    s.frames++;
    s.bytes += typeof frame === 'string' ? Buffer.byteLength(frame) : frame.length;
  };

  const sendPieces = (client: ClientSession, p: FramePieces, now: number): void => {
    if (p.removedCount === 0 && p.updateCount === 0) return;
    sendRaw(client, assembleFrame(FRAME_TAG_BATCH, now, p.removed, p.removedCount, p.updates, p.updateCount));
    s.updates += p.updateCount;
    if (p.oldest !== Number.POSITIVE_INFINITY) options.onFrameLatency?.(clock() - p.oldest);
  };

  /** Everything the client selects, split into frames of at most maxFrameBytes (first one a snapshot). */
  const sendSnapshot = (client: ClientSession): void => {
    client.pending.clear();
    client.owesSnapshot = false;
    const now = clock();
    let chunk: Uint8Array[] = [];
    let size = FRAME_HEADER_BYTES;
    let first = true;
    const flush = () => {
      const tag = first ? FRAME_TAG_SNAPSHOT : FRAME_TAG_BATCH;
      sendRaw(client, assembleFrame(tag, now, [], 0, chunk, chunk.length));
      s.updates += chunk.length;
      first = false;
      chunk = [];
      size = FRAME_HEADER_BYTES;
    };
    for (const v of store.values()) {
      if (!selects(client, v, cellOf(v.lon, v.lat))) continue;
      const { record } = encoded(v);
      if (size + record.length > options.maxFrameBytes && chunk.length > 0) flush();
      chunk.push(record);
      size += record.length;
    }
    if (first || chunk.length > 0) flush();
    s.snapshots++;
  };

  /** A drained slow client: the latest state of everything it missed, in one frame. */
  const flushPending = (client: ClientSession, now: number): void => {
    const p = emptyPieces(false);
    for (const id of client.pending) {
      const v = store.get(id);
      const cell = cellOfVehicle.get(id);
      if (v && cell !== undefined && selects(client, v, cell)) {
        p.updates.push(encoded(v).record);
        p.updateCount++;
      } else {
        p.removed.push(records.get(id)?.idBytes ?? encodeRemovedId(id, writer));
        p.removedCount++;
      }
    }
    client.pending.clear();
    sendPieces(client, p, now);
  };

  const tickClient = (client: ClientSession, tick: TickParts, now: number): void => {
    if (!client.view || client.socket.readyState !== WebSocket.OPEN) return;
    const over = client.socket.bufferedAmount > options.highWaterBytes;
    const coalescing = over || client.pending.size > 0;
    const pieces = emptyPieces(coalescing);
    collectForClient(client, tick, cellOfVehicle, pieces);
    if (over) {
      client.slowSince ??= now;
      if (now - client.slowSince >= options.slowCloseMs) {
        s.slowClosed++;
        logger.warn({ client: client.id, buffered: client.socket.bufferedAmount }, 'closing slow client');
        client.socket.close(CLOSE.slowConsumer.code, CLOSE.slowConsumer.reason);
        // A client that does not read will not complete the closing handshake either.
        setTimeout(() => client.socket.terminate(), options.closeGraceMs ?? 5000).unref();
        return;
      }
      if (!client.owesSnapshot) {
        for (const id of pieces.ids ?? []) client.pending.add(id);
        if (client.pending.size > maxPending) {
          client.pending.clear();
          client.owesSnapshot = true;
        }
      }
      s.coalesced++;
      return;
    }
    client.slowSince = undefined;
    if (client.owesSnapshot) {
      sendSnapshot(client);
    } else if (client.pending.size > 0) {
      for (const id of pieces.ids ?? []) client.pending.add(id);
      flushPending(client, now);
    } else {
      sendPieces(client, pieces, now);
    }
  };

  const tick = (): void => {
    s.ticks++;
    const now = clock();
    const cells = new Map<CellKey, CellPart>();
    const updates = new Map<string, EncodedVehicle>();
    const removed = new Map<string, Uint8Array>();
    const part = (key: CellKey) => {
      let p = cells.get(key);
      if (!p) {
        p = new CellPart();
        cells.set(key, p);
      }
      return p;
    };
    for (const id of changed.keys()) {
      const prev = cellOfVehicle.get(id);
      const v = store.get(id);
      if (!v) {
        const idBytes = records.get(id)?.idBytes ?? encodeRemovedId(id, writer);
        records.delete(id);
        cellOfVehicle.delete(id);
        if (prev !== undefined) part(prev).addRemoved(id, idBytes);
        removed.set(id, idBytes);
        continue;
      }
      const e = encoded(v);
      const cell = cellOf(v.lon, v.lat);
      if (prev !== undefined && prev !== cell) part(prev).addRemoved(id, e.idBytes);
      part(cell).addUpdate(e, store.receivedAt(id) ?? now);
      cellOfVehicle.set(id, cell);
      updates.set(id, e);
    }
    changed.clear();
    const parts: TickParts = { cells, updates, removed };
    for (const client of clients) tickClient(client, parts, now);
  };

  const onMessage = (client: ClientSession, data: RawData, isBinary: boolean): void => {
    const parsed = parseClientMessage(isBinary ? new Uint8Array(data as Buffer) : data.toString());
    if (!parsed.ok) {
      s.badMessages++;
      sendRaw(
        client,
        encodeServerMessage({ type: 'error', code: GATEWAY_BAD_MESSAGE, message: parsed.reason }),
      );
      return;
    }
    const m = parsed.message;
    switch (m.type) {
      case 'viewport':
        client.view = new CellView(m.bbox);
        sendSnapshot(client);
        break;
      case 'filter':
        client.setFilter(m);
        if (client.view) sendSnapshot(client);
        break;
      case 'follow': {
        client.follow = m.vehicleId;
        const v = m.vehicleId === null ? undefined : store.get(m.vehicleId);
        if (v)
          sendPieces(
            client,
            { ...emptyPieces(false), updates: [encoded(v).record], updateCount: 1 },
            clock(),
          );
        break;
      }
      case 'ping':
        sendRaw(client, encodeServerMessage({ type: 'pong', t: m.t, serverTime: clock() }));
        break;
    }
  };

  const onConnection = (socket: WebSocket): void => {
    const client = new ClientSession(nextId++, socket);
    clients.add(client);
    socket.on('message', (data, isBinary) => onMessage(client, data, isBinary));
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('close', () => clients.delete(client));
    socket.on('error', (error) =>
      logger.debug({ client: client.id, err: error.message }, 'client socket error'),
    );
    sendRaw(
      client,
      encodeServerMessage({
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        serverTime: clock(),
        feedMode: options.feedMode,
        tickMs: options.tickMs,
        cellDeg: [CELL_LON, CELL_LAT],
      }),
    );
  };

  const refuse = (socket: Duplex, status: number, code: string, detail: string): void => {
    s.rejected++;
    const body = JSON.stringify({ type: `about:blank`, title: code, status, detail, code });
    socket.end(
      `HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Service Unavailable'}\r\n` +
        `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  };

  const heartbeat = (): void => {
    for (const client of clients) {
      if (!client.alive) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  };

  const status = (): void => {
    if (clients.size === 0) return;
    const frame = encodeServerMessage({
      type: 'status',
      feedMode: options.feedMode,
      vehicles: store.size,
      messagesPerSecond: options.status?.().messagesPerSecond ?? 0,
      clients: clients.size,
    });
    for (const client of clients) sendRaw(client, frame);
  };

  return {
    name: 'gateway',
    async start() {
      stopping = false;
      unsubscribe = store.onChange((id, change) => {
        if (change === 'remove' || !changed.has(id)) changed.set(id, change);
        records.delete(id);
      });
      timers.push(setInterval(tick, options.tickMs));
      timers.push(setInterval(heartbeat, options.heartbeatMs ?? 30_000));
      timers.push(setInterval(status, options.statusIntervalMs ?? 5000));
    },
    async stop() {
      stopping = true;
      for (const t of timers) clearInterval(t);
      timers.length = 0;
      unsubscribe?.();
      for (const client of clients) client.socket.close(CLOSE.shutdown.code, CLOSE.shutdown.reason);
      const deadline = Date.now() + 2000;
      while (clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const client of clients) client.socket.terminate();
      clients.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
    handleUpgrade(req, socket, head) {
      const url = req.url ?? '/';
      if (url !== path && !url.startsWith(`${path}?`)) return false;
      if (stopping) {
        refuse(socket, 503, CLOSE.shutdown.reason, 'the server is shutting down');
      } else if (!originAllowed(req.headers.origin, req.headers.host, options.origins)) {
        refuse(socket, 403, GATEWAY_ORIGIN_REJECTED, `origin ${req.headers.origin} is not allowed`);
      } else if (clients.size >= options.maxClients) {
        refuse(socket, 503, GATEWAY_TOO_MANY_CLIENTS, `connection limit ${options.maxClients} reached`);
      } else {
        wss.handleUpgrade(req, socket, head, onConnection);
      }
      return true;
    },
    tick,
    broadcast(message) {
      const frame = encodeServerMessage(message);
      for (const client of clients) sendRaw(client, frame);
    },
    stats: () => ({ ...s, clients: clients.size }),
  };
}
