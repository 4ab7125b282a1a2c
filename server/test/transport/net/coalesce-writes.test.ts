import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesceWrites } from '../../../src/transport/net/coalesce-writes.ts';
import { waitFor } from '../conformance/support.ts';

/** A loopback server that keeps every byte each connection sends; `paused` holds reading back. */
async function sink(paused = false) {
  const received: Buffer[] = [];
  let peer: Socket | undefined;
  let ended = false;
  const server: Server = createServer((s) => {
    peer = s;
    if (paused) s.pause();
    s.on('data', (d: Buffer) => received.push(d));
    s.on('end', () => {
      ended = true;
    });
    s.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    port,
    bytes: () => Buffer.concat(received),
    ended: () => ended,
    peer: () => peer,
    close: () => {
      peer?.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A connected client socket whose writes are coalesced; `writes` counts the socket's own writes. */
async function client(port: number, highWaterMark?: number) {
  const socket = connect({ port, host: '127.0.0.1', ...(highWaterMark ? { highWaterMark } : {}) });
  socket.on('error', () => {});
  await once(socket, 'connect');
  const counter = { writes: 0 };
  const own = socket.write;
  socket.write = function counted(this: Socket, ...args: unknown[]) {
    counter.writes++;
    return (own as (...a: unknown[]) => boolean).apply(this, args);
  } as Socket['write'];
  coalesceWrites(socket);
  return { socket, counter };
}

/** A packet-like sequence of small pieces (as mqtt-packet writes them), strings and buffers mixed. */
function pieces(i: number): (string | Buffer)[] {
  return [
    Buffer.from([0x32]),
    Buffer.from([i & 0xff]),
    `tópic/${i}`,
    Buffer.from([i >> 8, i & 0xff]),
    `{"n":${i},"€":1}`,
  ];
}

function expected(from: number, to: number): Buffer {
  const out: Buffer[] = [];
  for (let i = from; i < to; i++) for (const p of pieces(i)) out.push(Buffer.from(p));
  return Buffer.concat(out);
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  // Sockets before their server: server.close() waits for its connections.
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('transport coalesceWrites', () => {
  it('transport: a turn of small writes goes to the socket as one write, bytes intact and in order', async () => {
    const s = await sink();
    cleanups.push(s.close);
    const { socket, counter } = await client(s.port);
    cleanups.push(() => socket.destroy());
    for (let i = 0; i < 100; i++) for (const p of pieces(i)) socket.write(p);
    expect(counter.writes).toBe(0); // nothing handed over within the turn
    const want = expected(0, 100);
    await waitFor(() => s.bytes().length >= want.length, 'the bytes');
    expect(counter.writes).toBe(1);
    expect(s.bytes().equals(want)).toBe(true);
  });

  it('transport: packets split across flushes at the high-water mark arrive intact and in order', async () => {
    const s = await sink();
    cleanups.push(s.close);
    // A small mark: a turn's writes flush several times, mid-packet.
    const { socket, counter } = await client(s.port, 256);
    cleanups.push(() => socket.destroy());
    const n = 2_000;
    for (let i = 0; i < n; i++) for (const p of pieces(i)) socket.write(p);
    expect(counter.writes).toBeGreaterThan(1);
    const want = expected(0, n);
    await waitFor(() => s.bytes().length >= want.length, 'the bytes');
    expect(s.bytes().equals(want)).toBe(true);
  });

  it('transport: backpressure: over the mark writes return false until drain, and nothing is lost', async () => {
    const s = await sink(true);
    cleanups.push(s.close);
    const { socket } = await client(s.port, 16 * 1024);
    cleanups.push(() => socket.destroy());
    // The peer does not read: kernel buffers fill, then the socket's own buffer passes its mark.
    let i = 0;
    let full = false;
    const deadline = Date.now() + 10_000;
    while (!full && Date.now() < deadline) {
      for (const p of pieces(i)) if (!socket.write(p)) full = true;
      i++;
      if (i % 1_000 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(full).toBe(true);
    // While over the mark, every further write says so too (the writer must wait for 'drain').
    expect(socket.write('x')).toBe(false);
    const drained = once(socket, 'drain');
    s.peer()!.resume();
    await drained;
    const want = Buffer.concat([expected(0, i), Buffer.from('x')]);
    await waitFor(() => s.bytes().length >= want.length, 'the bytes');
    expect(s.bytes().equals(want)).toBe(true);
  });

  it('transport: end() sends what the turn left pending before closing', async () => {
    const s = await sink();
    cleanups.push(s.close);
    const { socket } = await client(s.port);
    for (let i = 0; i < 50; i++) for (const p of pieces(i)) socket.write(p);
    socket.end();
    await waitFor(() => s.ended(), 'end');
    expect(s.bytes().equals(expected(0, 50))).toBe(true);
  });

  it('transport: destroy() hands pending writes to the socket first (as unbuffered writes would)', async () => {
    const s = await sink();
    cleanups.push(s.close);
    const { socket } = await client(s.port);
    for (let i = 0; i < 50; i++) for (const p of pieces(i)) socket.write(p);
    socket.destroy();
    await waitFor(() => s.ended(), 'the peer to see the close');
    expect(s.bytes().equals(expected(0, 50))).toBe(true);
  });

  it('transport: a write with a callback flushes the pending writes first, keeping order', async () => {
    const s = await sink();
    cleanups.push(s.close);
    const { socket } = await client(s.port);
    cleanups.push(() => socket.destroy());
    socket.write('a');
    socket.write(Buffer.from('b'));
    const written = new Promise<void>((resolve, reject) =>
      socket.write('c', (error) => (error ? reject(error) : resolve())),
    );
    socket.write('d');
    await written;
    await waitFor(() => s.bytes().length >= 4, 'the bytes');
    expect(s.bytes().toString()).toBe('abcd');
  });

  it('transport: writes after the socket is destroyed are dropped without an error', async () => {
    const s = await sink();
    cleanups.push(s.close);
    const { socket } = await client(s.port);
    socket.destroy();
    const errors: Error[] = [];
    socket.on('error', (e) => errors.push(e));
    socket.write('lost');
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 20));
    expect(errors.filter((e) => !/destroyed/.test(e.message))).toEqual([]);
  });
});
