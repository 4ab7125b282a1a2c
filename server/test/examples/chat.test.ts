/**
 * The chat example (examples/chat/main.ts + client.ts): a say from one client reaches every client,
 * joined/left notices go to the others, the page is served, and Ctrl-C closes sessions and exits 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ChatOut } from '../../examples/chat/chat-message.ts';
import { type Program, runExample, stop } from './support.ts';

/** A test client that keeps every message it receives. */
class Client {
  readonly received: ChatOut[] = [];
  readonly socket: WebSocket;
  readonly closed: Promise<number>;
  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.on('message', (data) => this.received.push(JSON.parse(data.toString()) as ChatOut));
    this.closed = new Promise((resolve) => this.socket.once('close', (code) => resolve(code)));
  }
  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }
  async waitFor(match: (m: ChatOut) => boolean, what: string): Promise<ChatOut> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(this.received)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

describe('examples: chat room', () => {
  let server: Program | undefined;
  let http = '';
  let ws = '';

  beforeAll(async () => {
    server = runExample('chat/main.ts', ['--port', '0']);
    const [, url] = await server.waitFor(/^chat room on (http:\/\/\S+)/m, 'the chat room to listen');
    http = url ?? '';
    ws = `${http.replace('http', 'ws')}/ws`;
  }, 90_000);

  afterAll(() => stop(server));

  it('examples: a say is broadcast to every client, with joined and left notices', async () => {
    const alice = new Client(`${ws}?name=alice`);
    await alice.opened();
    await alice.waitFor((m) => m.type === 'welcome', 'alice welcome');
    const bob = new Client(`${ws}?name=bob`);
    await bob.opened();
    const welcome = await bob.waitFor((m) => m.type === 'welcome', 'bob welcome');
    expect(welcome).toMatchObject({ you: 'bob', members: expect.arrayContaining(['alice', 'bob']) });
    await alice.waitFor((m) => m.type === 'joined' && m.name === 'bob', 'bob joined, told to alice');

    bob.socket.send(JSON.stringify({ type: 'say', text: 'hello room' }));
    for (const c of [alice, bob]) {
      await c.waitFor(
        (m) => m.type === 'said' && m.from === 'bob' && m.text === 'hello room',
        'the broadcast',
      );
    }
    // Invalid messages are rejected, not broadcast.
    bob.socket.send(JSON.stringify({ type: 'say', text: '' }));
    bob.socket.send(JSON.stringify({ type: 'shout', text: 'x' }));
    bob.socket.close();
    await alice.waitFor((m) => m.type === 'left' && m.name === 'bob', 'bob left, told to alice');
    expect(alice.received.filter((m) => m.type === 'said')).toHaveLength(1);
    alice.socket.close();
    await alice.closed;
  });

  it('examples: the CLI client says its stdin lines; the page is served', async () => {
    const watcher = new Client(`${ws}?name=watcher`);
    await watcher.opened();
    const client = runExample('chat/client.ts', ['--name', 'carol', '--url', ws]);
    try {
      await watcher.waitFor((m) => m.type === 'joined' && m.name === 'carol', 'carol joined');
      client.child.stdin?.end('first line\nsecond line\n');
      await watcher.waitFor((m) => m.type === 'said' && m.text === 'second line', 'the CLI lines');
      expect(await client.exited).toBe(0);
      expect(client.stdout()).toContain('carol: first line');
      await watcher.waitFor((m) => m.type === 'left' && m.name === 'carol', 'carol left');
    } finally {
      stop(client);
    }
    const page = await fetch(`${http}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('new WebSocket(');
    watcher.socket.close();
  }, 90_000);

  it('examples: SIGINT closes open sessions with 1001 and the server exits 0', async () => {
    const last = new Client(`${ws}?name=last`);
    await last.opened();
    await last.waitFor((m) => m.type === 'welcome', 'welcome');
    server?.child.kill('SIGINT');
    expect(await last.closed).toBe(1001);
    expect(await server?.exited).toBe(0);
  }, 30_000);
});
