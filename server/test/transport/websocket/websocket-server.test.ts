import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebSocketServerTransport } from '../../../src/transport/websocket/websocket-server.ts';
import { waitFor } from '../conformance/support.ts';

type In = { type: 'hello'; name: string } | { type: 'echo'; text: string };
type Out = { type: 'welcome'; id: string } | { type: 'echo'; text: string } | { type: 'news'; n: number };

const servers: WebSocketServerTransport<In, Out>[] = [];
const clients: WebSocket[] = [];

async function start(options: ConstructorParameters<typeof WebSocketServerTransport<In, Out>>[0] = {}) {
  const server = new WebSocketServerTransport<In, Out>(options);
  servers.push(server);
  await server.start();
  return server;
}

function connect(port: number, origin?: string): Promise<{ ws: WebSocket; got: unknown[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, origin ? { origin } : {});
  clients.push(ws);
  const got: unknown[] = [];
  ws.on('message', (data) => got.push(JSON.parse(data.toString())));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, got }));
    ws.once('error', reject);
  });
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.terminate();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe('websocket server', () => {
  it('websocket: typed handlers, send to one session, broadcast, connect and disconnect hooks', async () => {
    const server = await start();
    const connected: string[] = [];
    const disconnected: string[] = [];
    server.onConnect((s) => {
      connected.push(s.id);
      server.send(s.id, { type: 'welcome', id: s.id });
    });
    server.onDisconnect((s) => disconnected.push(s.id));
    server.on('echo', (s, m) => {
      server.send(s.id, { type: 'echo', text: m.text.toUpperCase() });
    });
    const a = await connect(server.port!);
    const b = await connect(server.port!);
    await waitFor(() => a.got.length === 1 && b.got.length === 1, 'welcomes');
    expect(a.got[0]).toMatchObject({ type: 'welcome' });
    a.ws.send(JSON.stringify({ type: 'echo', text: 'hei' }));
    await waitFor(() => a.got.length === 2, 'the echo');
    expect(a.got[1]).toEqual({ type: 'echo', text: 'HEI' });
    expect(b.got).toHaveLength(1);
    expect(server.broadcast({ type: 'news', n: 7 })).toBe(2);
    await waitFor(() => a.got.length === 3 && b.got.length === 2, 'the broadcast');
    b.ws.close();
    await waitFor(() => disconnected.length === 1, 'the disconnect hook');
    expect(connected).toHaveLength(2);
    expect(server.sessions.size).toBe(1);
  });

  it('websocket: invalid and unknown messages are counted, the session lives on', async () => {
    const server = await start();
    server.on('echo', (s, m) => {
      server.send(s.id, { type: 'echo', text: m.text });
    });
    const c = await connect(server.port!);
    c.ws.send('not json');
    c.ws.send(JSON.stringify({ nope: 1 }));
    c.ws.send(JSON.stringify({ type: 'hello', name: 'x' }));
    c.ws.send(JSON.stringify({ type: 'echo', text: 'still here' }));
    await waitFor(() => c.got.length === 1, 'the echo');
    expect(server.stats).toMatchObject({ invalidMessages: 2, unknownTypes: 1 });
  });

  it('websocket: origin allowlist rejects other origins with 403', async () => {
    const server = await start({ allowedOrigins: ['https://map.example'] });
    await expect(connect(server.port!, 'https://evil.example')).rejects.toThrow(/403/);
    const ok = await connect(server.port!, 'https://map.example');
    expect(ok.ws.readyState).toBe(WebSocket.OPEN);
    expect(server.stats.rejectedOrigin).toBe(1);
  });

  it('websocket: a frame above the maximum closes the session with 1009', async () => {
    const server = await start({ maxFrameBytes: 1024 });
    const c = await connect(server.port!);
    const closed = new Promise<number>((r) => c.ws.once('close', (code) => r(code)));
    c.ws.send(JSON.stringify({ type: 'echo', text: 'x'.repeat(4096) }));
    expect(await closed).toBe(1009);
  });

  it('websocket: a client that stops answering pings is dropped after the idle timeout', async () => {
    const server = await start({ heartbeatIntervalMs: 20, idleTimeoutMs: 60 });
    const c = await connect(server.port!);
    const closed = new Promise<void>((r) => c.ws.once('close', () => r()));
    // Stop the automatic pong: the underlying socket is paused, so pings go unanswered.
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await waitFor(() => server.sessions.size === 0, 'the idle session to be dropped', 5_000);
    c.ws.terminate();
    await closed;
  });

  it('websocket: a live client answering pings is kept', async () => {
    const server = await start({ heartbeatIntervalMs: 20, idleTimeoutMs: 60 });
    await connect(server.port!);
    await new Promise((r) => setTimeout(r, 200));
    expect(server.sessions.size).toBe(1);
  });

  it('websocket: a slow client never holds more than the send queue limit', async () => {
    const server = await start({
      sendQueue: { maxFrames: 10, maxBytes: 64 * 1024, overflow: 'drop-oldest' },
    });
    const c = await connect(server.port!);
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await waitFor(() => server.sessions.size === 1, 'the session');
    const session = [...server.sessions.values()][0]!;
    const big = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 2_000; i++) server.send(session.id, { type: 'echo', text: big });
    expect(session.queuedFrames).toBeLessThanOrEqual(10);
    expect(session.dropped).toBeGreaterThan(1_900);
    // Everything in memory for this client: our queue plus the socket's own buffer.
    expect(session.socket.bufferedAmount).toBeLessThan(2 * 1024 * 1024);
  });

  it('websocket: overflow "close" closes a slow client with 1013', async () => {
    const server = await start({ sendQueue: { maxFrames: 4, maxBytes: 32 * 1024, overflow: 'close' } });
    const c = await connect(server.port!);
    await waitFor(() => server.sessions.size === 1, 'the session');
    const session = [...server.sessions.values()][0]!;
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    let result = '';
    for (let i = 0; i < 1_000 && result !== 'closed'; i++)
      result = server.send(session.id, { type: 'echo', text: 'y'.repeat(8 * 1024) });
    expect(result).toBe('closed');
    await waitFor(() => server.sessions.size === 0, 'the session to close', 5_000);
  });

  it('websocket: stop flushes queued frames and closes sessions with 1001', async () => {
    const server = await start();
    const c = await connect(server.port!);
    await waitFor(() => server.sessions.size === 1, 'the session');
    const closed = new Promise<number>((r) => c.ws.once('close', (code) => r(code)));
    for (let n = 0; n < 50; n++) server.broadcast({ type: 'news', n });
    await server.stop();
    servers.splice(0);
    expect(await closed).toBe(1001);
    expect(c.got).toHaveLength(50);
  });
});
