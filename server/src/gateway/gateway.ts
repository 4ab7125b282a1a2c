/**
 * The WebSocket gateway: per tick, changed vehicles are encoded once into grid-cell parts, and each
 * client gets one frame assembled from the parts of the cells its viewport touches. Ticks are spread
 * over client groups (tick-group.ts) so that no position waits for a whole fan-out. Slow clients are
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
import { CellIndex } from './cell-index.ts';
import { ClientSession } from './client-session.ts';
import { CLOSE, GATEWAY_BAD_MESSAGE, GATEWAY_ORIGIN_REJECTED, GATEWAY_TOO_MANY_CLIENTS } from './errors.ts';
import { FrameBuffer } from './frame-buffer.ts';
import { CELL_LAT, CELL_LON, CellView, cellOf } from './grid.ts';
import { originAllowed } from './origin-allowed.ts';
import { collectForClient, emptyPieces, type FramePieces, resetPieces, selects } from './tick-frames.ts';
import { TickGroup } from './tick-group.ts';
import type { TickParts } from './tick-parts.ts';
import type { EncodedVehicle, VehicleTrack } from './vehicle-track.ts';
import { allocWithHeadroom, frameCopy, frameInPlace } from './ws-frame.ts';

export interface GatewayOptions {
  readonly store: VehicleStore;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly feedMode: FeedMode;
  readonly tickMs: number;
  /**
   * Client groups a tick is spread over (default: one per 10 ms of tick, 1..32): every
   * tickMs / tickGroups one group gets its frames, so a position waits at most one tick plus one
   * group's fan-out.
   */
  readonly tickGroups?: number;
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
  /** Frames not wholly handed to the kernel by the write (they wait in the socket's user-space buffer). */
  readonly framesQueued: number;
}

export interface Gateway extends Server {
  /** For the HTTP server's `upgrade` event; ignores other paths (returns false). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** One whole batching step: every group's frames (the timer does one group at a time; tests call this). */
  tick(): void;
  /** To every client, at its group's next turn (within one tick), with that turn's frame. */
  broadcast(message: ServerMessage): void;
  stats(): GatewayStats;
}

export function buildGateway(options: GatewayOptions): Gateway {
  const { store, logger, clock } = options;
  const path = options.path ?? '/ws';
  const maxPending = options.maxPending ?? 20_000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
  const clients = new Set<ClientSession>();
  const groupCount = options.tickGroups ?? Math.min(32, Math.round(options.tickMs / 10));
  const groups = Array.from({ length: Math.max(1, Math.floor(groupCount)) }, () => new TickGroup());
  let turn = 0;
  const tracks = new Map<string, VehicleTrack>();
  const index = new CellIndex();
  const writer = new ByteWriter(256);
  /** Reused for every client's frame of a tick (ticks are synchronous). */
  const scratch = emptyPieces(false);
  const timers: NodeJS.Timeout[] = [];
  let tickTimer: NodeJS.Timeout | undefined;
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
    framesQueued: 0,
  };

  const trackOf = (id: string): VehicleTrack => {
    let t = tracks.get(id);
    if (!t) {
      t = { id, idBytes: encodeRemovedId(id, writer), cell: undefined, receivedAt: 0, encoded: undefined };
      tracks.set(id, t);
    }
    return t;
  };

  const encodeTrack = (t: VehicleTrack, v: VehicleState): EncodedVehicle => {
    if (!t.encoded) {
      s.recordsEncoded++;
      t.encoded = {
        id: v.vehicleId,
        mode: v.mode,
        routeId: v.routeId,
        line: v.line,
        record: encodeVehicleRecord(v, writer),
        idBytes: t.idBytes,
      };
    }
    return t.encoded;
  };

  /** The vehicle's latest state, encoded once. */
  const encoded = (v: VehicleState): EncodedVehicle => encodeTrack(trackOf(v.vehicleId), v);

  const frameBuffer = new FrameBuffer();
  /** A socket that is already backed up will hold the frame: give it its own, exact-size memory. */
  const allocFor = (client: ClientSession) =>
    client.socket.bufferedAmount > 0 ? allocWithHeadroom : frameBuffer.take;

  /** A client's wire is corked: its frames wait for the uncork (and are checked then). */
  let corked = false;
  /** A whole WebSocket frame (`payloadBytes` of payload) straight to the client's connection. */
  const write = (client: ClientSession, frame: Buffer, payloadBytes: number): void => {
    if (client.socket.readyState !== WebSocket.OPEN) return;
    client.wire.write(frame);
    if (!corked && client.socket.bufferedAmount > 0) {
      // Not all in the kernel: the socket holds the frame's bytes (see FrameBuffer).
      s.framesQueued++;
      frameBuffer.release();
    }
    s.frames++;
    s.bytes += payloadBytes;
  };
  /** A binary frame assembled with headroom (frameBuffer.take, allocWithHeadroom): framed in place. */
  const sendBinary = (client: ClientSession, payload: Uint8Array): void =>
    write(client, frameInPlace(payload), payload.length);
  /** The occasional message (hello, pong, error) to one client. */
  const sendMessage = (client: ClientSession, message: ServerMessage): void => {
    const frame = frameCopy(encodeServerMessage(message));
    write(client, frame, frame.length);
  };

  const sendPieces = (client: ClientSession, p: FramePieces, now: number): void => {
    if (p.removedCount === 0 && p.updateCount === 0) return;
    sendBinary(
      client,
      assembleFrame(
        FRAME_TAG_BATCH,
        now,
        p.removed,
        p.removedCount,
        p.updates,
        p.updateCount,
        allocFor(client),
      ),
    );
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
      sendBinary(client, assembleFrame(tag, now, [], 0, chunk, chunk.length, allocFor(client)));
      s.updates += chunk.length;
      first = false;
      chunk = [];
      size = FRAME_HEADER_BYTES;
    };
    const add = (v: VehicleState) => {
      const { record } = encoded(v);
      if (size + record.length > options.maxFrameBytes && chunk.length > 0) flush();
      chunk.push(record);
      size += record.length;
    };
    const view = client.view;
    const keys = view?.keyList;
    if (keys !== undefined) {
      // The cells of the view, not the whole fleet.
      for (const key of keys) {
        for (const id of index.vehiclesIn(key)) {
          const v = store.get(id);
          if (v && client.passes(v.mode, v.routeId, v.line)) add(v);
        }
      }
      const followed = client.follow === null ? undefined : store.get(client.follow);
      const cell = followed && index.get(followed.vehicleId);
      if (
        followed &&
        !(
          cell !== undefined &&
          view!.has(cell) &&
          client.passes(followed.mode, followed.routeId, followed.line)
        )
      ) {
        add(followed);
      }
    } else {
      for (const v of store.values()) if (selects(client, v, cellOf(v.lon, v.lat))) add(v);
    }
    if (first || chunk.length > 0) flush();
    s.snapshots++;
  };

  /** A drained slow client: the latest state of everything it missed, in one frame. */
  const flushPending = (client: ClientSession, now: number): void => {
    const p = emptyPieces(false);
    for (const id of client.pending) {
      const v = store.get(id);
      const cell = index.get(id);
      if (v && cell !== undefined && selects(client, v, cell)) {
        p.updates.push(encoded(v).record);
        p.updateCount++;
      } else {
        p.removed.push(tracks.get(id)?.idBytes ?? encodeRemovedId(id, writer));
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
    const pieces = resetPieces(scratch, coalescing);
    collectForClient(client, tick, index, pieces);
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

  /** For tick groups: a changed vehicle's record (its track is on the map: the store has it). */
  const encodeChanged = (t: VehicleTrack): EncodedVehicle => encodeTrack(t, store.get(t.id)!);

  /** A heartbeat for one client: ping, or terminate it if the last ping went unanswered. */
  const beat = (client: ClientSession): void => {
    if (!client.alive) {
      client.socket.terminate();
      return;
    }
    client.alive = false;
    client.socket.ping();
  };

  /**
   * One group's turn: what was due for all of its clients (heartbeat, status, notifications), then
   * its changes since its last turn, to each of its clients.
   */
  const tickGroup = (group: TickGroup): void => {
    if (group.clients.size === 0) {
      group.discard();
      return;
    }
    if (group.heartbeatDue) {
      group.heartbeatDue = false;
      for (const client of group.clients) beat(client);
    }
    const outbox = group.outbox.length > 0 ? group.outbox.splice(0) : undefined;
    const parts = group.takeParts(encodeChanged);
    const now = clock();
    for (const client of group.clients) {
      if (outbox === undefined) {
        tickClient(client, parts, now);
        continue;
      }
      // The notifications and the tick's frame in one write. While corked the socket holds every
      // frame, so allocFor gives the tick's frame its own memory, not the shared buffer's.
      corked = true;
      client.wire.cork();
      try {
        for (const frame of outbox) write(client, frame, frame.length);
        tickClient(client, parts, now);
      } finally {
        corked = false;
        client.wire.uncork();
      }
      if (client.socket.bufferedAmount > 0) s.framesQueued++;
    }
  };

  /** `frame` to every client, spread over the groups' turns (within one tick). */
  const toAll = (payload: string | Uint8Array): void => {
    const frame = frameCopy(payload);
    for (const group of groups) if (group.clients.size > 0) group.outbox.push(frame);
  };

  const tick = (): void => {
    s.ticks++;
    for (const group of groups) tickGroup(group);
  };

  /**
   * The timer's step: the next group in turn, a whole tick every tickMs. Scheduled against a fixed
   * time line (not setInterval, which restarts from each late firing: the lateness would add up and
   * stretch every client's tick); a gateway more than a tick behind starts a new time line.
   */
  const slice = options.tickMs / groups.length;
  let due = 0;
  const tickNextGroup = (): void => {
    if (turn === 0) s.ticks++;
    tickGroup(groups[turn]!);
    turn = (turn + 1) % groups.length;
    const now = performance.now();
    due += slice;
    if (due < now - options.tickMs) due = now;
    tickTimer = setTimeout(tickNextGroup, Math.max(0, due - now));
  };

  const onStoreChange = (id: string, change: VehicleChange): void => {
    const track = trackOf(id);
    const v = change === 'remove' ? undefined : store.get(id);
    const cell = v === undefined ? undefined : cellOf(v.lon, v.lat);
    const before = index.move(id, cell);
    track.cell = cell;
    track.encoded = undefined;
    track.receivedAt = store.receivedAt(id) ?? clock();
    // A removed vehicle's track lives on in the groups until each has told its clients.
    if (cell === undefined) tracks.delete(id);
    for (const group of groups) group.noteChange(track, before);
  };

  const onMessage = (client: ClientSession, data: RawData, isBinary: boolean): void => {
    const parsed = parseClientMessage(isBinary ? new Uint8Array(data as Buffer) : data.toString());
    if (!parsed.ok) {
      s.badMessages++;
      sendMessage(client, { type: 'error', code: GATEWAY_BAD_MESSAGE, message: parsed.reason });
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
        sendMessage(client, { type: 'pong', t: m.t, serverTime: clock() });
        break;
    }
  };

  const onConnection = (socket: WebSocket, wire: Duplex): void => {
    const client = new ClientSession(nextId++, socket, wire);
    clients.add(client);
    // The least populated group: ticks stay even as clients come and go.
    let group = groups[0]!;
    for (const g of groups) if (g.clients.size < group.clients.size) group = g;
    group.clients.add(client);
    socket.on('message', (data, isBinary) => onMessage(client, data, isBinary));
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('close', () => {
      clients.delete(client);
      group.clients.delete(client);
    });
    socket.on('error', (error) =>
      logger.debug({ client: client.id, err: error.message }, 'client socket error'),
    );
    sendMessage(client, {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      serverTime: clock(),
      feedMode: options.feedMode,
      tickMs: options.tickMs,
      cellDeg: [CELL_LON, CELL_LAT],
    });
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
    for (const group of groups) group.heartbeatDue = true;
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
    toAll(frame);
  };

  return {
    name: 'gateway',
    async start() {
      stopping = false;
      index.clear();
      tracks.clear();
      for (const v of store.values()) {
        const track = trackOf(v.vehicleId);
        track.cell = cellOf(v.lon, v.lat);
        track.receivedAt = store.receivedAt(v.vehicleId) ?? clock();
        index.move(v.vehicleId, track.cell);
      }
      unsubscribe = store.onChange(onStoreChange);
      due = performance.now() + slice;
      tickTimer = setTimeout(tickNextGroup, slice);
      timers.push(setInterval(heartbeat, options.heartbeatMs ?? 30_000));
      timers.push(setInterval(status, options.statusIntervalMs ?? 5000));
    },
    async stop() {
      stopping = true;
      clearTimeout(tickTimer);
      for (const t of timers) clearInterval(t);
      timers.length = 0;
      unsubscribe?.();
      for (const client of clients) client.socket.close(CLOSE.shutdown.code, CLOSE.shutdown.reason);
      const deadline = Date.now() + 2000;
      while (clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const client of clients) client.socket.terminate();
      clients.clear();
      for (const g of groups) {
        g.clients.clear();
        g.discard();
      }
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
        wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, socket));
      }
      return true;
    },
    tick,
    broadcast(message) {
      toAll(encodeServerMessage(message));
    },
    stats: () => ({ ...s, clients: clients.size }),
  };
}
