import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { allocWithHeadroom, frameCopy, frameInPlace } from '../../src/gateway/ws-frame.ts';

let server: Server | undefined;
let client: WebSocket | undefined;
afterEach(async () => {
  client?.terminate();
  // Upgraded sockets are not the HTTP server's connections any more: the client's end closes them.
  await new Promise((r) => server?.close(r));
  server = undefined;
});

/** A ws server connection's raw socket, and a ws client reading what is written to it. */
async function pair(): Promise<{ wire: Duplex; received: { data: Buffer; isBinary: boolean }[] }> {
  const wss = new WebSocketServer({ noServer: true });
  server = createServer();
  const wired = new Promise<Duplex>((resolve) => {
    server!.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, () => resolve(socket)));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const received: { data: Buffer; isBinary: boolean }[] = [];
  client.on('message', (data, isBinary) => received.push({ data: data as Buffer, isBinary }));
  await new Promise((r) => client!.once('open', r));
  return { wire: await wired, received };
}

async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

// Each length form of the header: 7-bit, 16-bit (126..65,535), 64-bit (65,536 up).
const LENGTHS = [0, 1, 125, 126, 65_535, 65_536, 300_000];
const pattern = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7) & 0xff));

describe('gateway: WebSocket frames built by the gateway', () => {
  it('gateway: binary frames framed in place and copied frames read back whole in a ws client', async () => {
    const { wire, received } = await pair();
    for (const n of LENGTHS) {
      const payload = allocWithHeadroom(n);
      payload.set(pattern(n));
      wire.write(frameInPlace(payload));
      wire.write(frameCopy(pattern(n)));
      wire.write(frameCopy('é'.repeat(n >> 1)));
    }
    await until(() => received.length === LENGTHS.length * 3);
    LENGTHS.forEach((n, i) => {
      const [inPlace, copied, text] = received.slice(i * 3, i * 3 + 3);
      expect(inPlace!.isBinary && inPlace!.data.equals(pattern(n))).toBe(true);
      expect(copied!.isBinary && copied!.data.equals(pattern(n))).toBe(true);
      expect(text!.isBinary).toBe(false);
      expect(text!.data.toString()).toBe('é'.repeat(n >> 1));
    });
  }, 30_000);
});
