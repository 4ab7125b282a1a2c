import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocketServer } from 'ws';
import type { Codec } from '../codec.ts';
import { jsonCodec } from '../codecs/json-codec.ts';
import { InvalidOptionError } from '../errors.ts';
import { silentLogger, type TransportLogger } from '../logger.ts';
import type { Server } from '../server.ts';
import { type SendQueueOptions, type SendResult, WebSocketSession } from './websocket-session.ts';

/** Messages are objects discriminated by a string `type`. */
export interface TypedMessage {
  readonly type: string;
}

export type MessageCheck<In> = (value: unknown) => { ok: true; value: In } | { ok: false; reason: string };

export interface WebSocketServerOptions<In extends TypedMessage> {
  readonly name?: string;
  /** Attach to this HTTP server (e.g. Fastify's `app.server`); otherwise one is created on host:port. */
  readonly server?: HttpServer;
  readonly host?: string;
  /** Own server's port; 0 (default) = a random free port, see `port` after start(). */
  readonly port?: number;
  /** Upgrade path (default `/ws`). */
  readonly path?: string;
  /** Encodes and decodes messages (default JSON, sent as text frames). */
  readonly codec?: Codec;
  /** Checks a decoded message (default: an object with a string `type`). */
  readonly check?: MessageCheck<In>;
  /** Largest incoming frame in bytes (default 64 KiB); bigger closes the session with 1009. */
  readonly maxFrameBytes?: number;
  /** Allowed `Origin` values; absent = any. A browser with another origin gets 403. */
  readonly allowedOrigins?: readonly string[] | ((origin: string | undefined) => boolean);
  /** Ping interval (default 15 s); a session silent for idleTimeoutMs (default 2 x interval) is dropped. */
  readonly heartbeatIntervalMs?: number;
  readonly idleTimeoutMs?: number;
  readonly sendQueue?: Partial<SendQueueOptions>;
  /** stop(): time to flush queues before sessions are closed (default 2 s). */
  readonly drainMs?: number;
  readonly logger?: TransportLogger;
}

type Handler<In extends TypedMessage, Meta> = (
  session: WebSocketSession<Meta>,
  message: In,
) => void | Promise<void>;

/**
 * The WebSocket server transport: sessions with ids, typed messages through a codec, one handler per
 * message type, send to one or broadcast, connect/disconnect hooks, ping/pong heartbeat with idle
 * timeout, max frame size, origin allowlist and a bounded send queue per session.
 */
export class WebSocketServerTransport<In extends TypedMessage, Out, Meta = Record<string, unknown>>
  implements Server
{
  readonly name: string;
  readonly sessions = new Map<string, WebSocketSession<Meta>>();
  /** Counters: frames rejected, by reason. */
  readonly stats = { rejectedOrigin: 0, invalidMessages: 0, unknownTypes: 0, handlerErrors: 0 };
  private readonly o: Required<
    Pick<
      WebSocketServerOptions<In>,
      'path' | 'maxFrameBytes' | 'heartbeatIntervalMs' | 'idleTimeoutMs' | 'drainMs'
    >
  > & { codec: Codec; check: MessageCheck<In>; sendQueue: SendQueueOptions; logger: TransportLogger };
  private readonly handlers = new Map<string, Handler<In, Meta>>();
  private connectHooks: ((
    session: WebSocketSession<Meta>,
    request: IncomingMessage,
  ) => void | Promise<void>)[] = [];
  private disconnectHooks: ((session: WebSocketSession<Meta>, code: number, reason: string) => void)[] = [];
  private wss: WebSocketServer | undefined;
  private http: HttpServer | undefined;
  private ownsHttp = false;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    this.upgrade(req, socket, head);

  constructor(private readonly options: WebSocketServerOptions<In> = {}) {
    this.name = options.name ?? 'websocket';
    const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 15_000;
    const maxFrameBytes = options.maxFrameBytes ?? 64 * 1024;
    if (!(heartbeatIntervalMs > 0) || !(maxFrameBytes > 0)) {
      throw new InvalidOptionError('websocket: heartbeatIntervalMs and maxFrameBytes must be > 0');
    }
    this.o = {
      path: options.path ?? '/ws',
      maxFrameBytes,
      heartbeatIntervalMs,
      idleTimeoutMs: options.idleTimeoutMs ?? heartbeatIntervalMs * 2,
      drainMs: options.drainMs ?? 2_000,
      codec: options.codec ?? jsonCodec,
      check: options.check ?? defaultCheck<In>,
      sendQueue: { maxFrames: 256, maxBytes: 4 * 1024 * 1024, overflow: 'drop-oldest', ...options.sendQueue },
      logger: options.logger ?? silentLogger,
    };
  }

  /** The port listened on (own server) once started. */
  get port(): number | undefined {
    const addr = this.http?.address();
    return addr && typeof addr === 'object' ? (addr as AddressInfo).port : undefined;
  }

  on<K extends In['type']>(type: K, handler: Handler<Extract<In, { type: K }>, Meta>): this {
    this.handlers.set(type, handler as Handler<In, Meta>);
    return this;
  }

  onConnect(hook: (session: WebSocketSession<Meta>, request: IncomingMessage) => void | Promise<void>): this {
    this.connectHooks.push(hook);
    return this;
  }

  onDisconnect(hook: (session: WebSocketSession<Meta>, code: number, reason: string) => void): this {
    this.disconnectHooks.push(hook);
    return this;
  }

  /** Encodes and sends to one session. */
  send(sessionId: string, message: Out): SendResult {
    const session = this.sessions.get(sessionId);
    if (!session) return 'closed';
    return session.sendRaw(this.o.codec.encode(message), this.binary);
  }

  /** Encodes once, sends to every open session (or those `filter` accepts); returns how many took it. */
  broadcast(message: Out, filter?: (session: WebSocketSession<Meta>) => boolean): number {
    const data = this.o.codec.encode(message);
    let n = 0;
    for (const s of this.sessions.values()) {
      if (filter && !filter(s)) continue;
      const r = s.sendRaw(data, this.binary);
      if (r === 'sent' || r === 'queued') n++;
    }
    return n;
  }

  async start(): Promise<void> {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.o.maxFrameBytes,
      clientTracking: false,
    });
    if (this.options.server) this.http = this.options.server;
    else {
      this.http = createServer((_req, res) => {
        res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only');
      });
      this.ownsHttp = true;
      await new Promise<void>((resolve, reject) => {
        this.http!.once('error', reject);
        this.http!.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
      });
    }
    this.http.on('upgrade', this.onUpgrade);
    this.heartbeat = setInterval(() => this.beat(), this.o.heartbeatIntervalMs);
  }

  /** Stops accepting, flushes send queues (up to drainMs), closes sessions with 1001, closes its own server. */
  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.http?.off('upgrade', this.onUpgrade);
    const sessions = [...this.sessions.values()];
    await Promise.all(sessions.map((s) => s.flush(this.o.drainMs)));
    await Promise.all(
      sessions.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.socket.readyState === s.socket.CLOSED) return resolve();
            const timer = setTimeout(() => {
              s.socket.terminate();
              resolve();
            }, 1_000);
            s.socket.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            s.close(1001, 'server stopping');
          }),
      ),
    );
    this.wss?.close();
    if (this.ownsHttp && this.http) {
      const http = this.http;
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  }

  private get binary(): boolean {
    return !this.o.codec.contentType.includes('json');
  }

  private originAllowed(origin: string | undefined): boolean {
    const allow = this.options.allowedOrigins;
    if (!allow) return true;
    if (typeof allow === 'function') return allow(origin);
    return origin !== undefined && allow.includes(origin);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== this.o.path) return; // another upgrade handler's path (e.g. a second transport)
    if (!this.originAllowed(req.headers.origin)) {
      this.stats.rejectedOrigin++;
      this.o.logger.warn({ origin: req.headers.origin }, 'websocket: origin rejected');
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss!.handleUpgrade(req, socket, head, (ws) => {
      const session = new WebSocketSession<Meta>(
        randomUUID(),
        ws,
        req.socket.remoteAddress,
        this.o.sendQueue,
        {} as Meta,
      );
      this.sessions.set(session.id, session);
      ws.on('pong', () => {
        session.lastSeen = Date.now();
      });
      ws.on('message', (data, isBinary) => this.receive(session, data, isBinary));
      ws.on('error', (error) =>
        this.o.logger.debug({ session: session.id, err: error }, 'websocket: socket error'),
      );
      ws.on('close', (code, reason) => {
        this.sessions.delete(session.id);
        for (const hook of this.disconnectHooks) {
          try {
            hook(session, code, reason.toString());
          } catch (error) {
            this.o.logger.error({ session: session.id, err: error }, 'websocket: disconnect hook failed');
          }
        }
      });
      for (const hook of this.connectHooks) {
        Promise.resolve()
          .then(() => hook(session, req))
          .catch((error: unknown) => {
            this.o.logger.error({ session: session.id, err: error }, 'websocket: connect hook failed');
            session.close(1011, 'connect hook failed');
          });
      }
    });
  }

  private receive(session: WebSocketSession<Meta>, data: RawData, _isBinary: boolean): void {
    session.lastSeen = Date.now();
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    let value: unknown;
    try {
      value = this.o.codec.decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (error) {
      this.stats.invalidMessages++;
      this.o.logger.warn({ session: session.id, err: error }, 'websocket: undecodable message');
      return;
    }
    const checked = this.o.check(value);
    if (!checked.ok) {
      this.stats.invalidMessages++;
      this.o.logger.warn({ session: session.id, reason: checked.reason }, 'websocket: invalid message');
      return;
    }
    const handler = this.handlers.get(checked.value.type);
    if (!handler) {
      this.stats.unknownTypes++;
      this.o.logger.warn({ session: session.id, type: checked.value.type }, 'websocket: no handler for type');
      return;
    }
    Promise.resolve()
      .then(() => handler(session, checked.value))
      .catch((error: unknown) => {
        this.stats.handlerErrors++;
        this.o.logger.error(
          { session: session.id, type: checked.value.type, err: error },
          'websocket: handler failed',
        );
      });
  }

  private beat(): void {
    const now = Date.now();
    for (const s of this.sessions.values()) {
      if (now - s.lastSeen > this.o.idleTimeoutMs) {
        this.o.logger.info({ session: s.id }, 'websocket: idle session dropped');
        s.socket.terminate();
        continue;
      }
      if (s.isOpen) s.socket.ping();
    }
  }
}

function defaultCheck<In extends TypedMessage>(
  value: unknown,
): { ok: true; value: In } | { ok: false; reason: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'not an object' };
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || type.length === 0) return { ok: false, reason: 'no string "type"' };
  return { ok: true, value: value as In };
}
