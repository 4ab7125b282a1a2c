/**
 * A command-line chat client: each line typed (stdin) is said in the room; what the room says is
 * printed. Ends when stdin ends (Ctrl-D), once the room has echoed every line it was sent (so a
 * piped script sees its own lines), or when the server closes the connection.
 *
 *   pnpm --filter @realtimemap/server exec tsx examples/chat/client.ts --name alice
 */
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { z } from 'zod';
import { parseOptions, runMain } from '../support/cli.ts';
import type { ChatIn, ChatOut } from './chat-message.ts';

/** How long a client whose stdin ended waits for the room to echo its last lines. */
const ECHO_WAIT_MS = 5_000;

const usage = `usage: chat/client.ts --name <name> [--url ws://127.0.0.1:8080/ws]`;

const spec = {
  url: { type: 'string', default: 'ws://127.0.0.1:8080/ws' },
  name: { type: 'string' },
} as const;

const schema = z.object({
  url: z.string().regex(/^wss?:\/\//, 'must start with ws:// or wss://'),
  name: z.string().trim().min(1).max(24),
});

function render(m: ChatOut): string {
  switch (m.type) {
    case 'welcome':
      return `* you are ${m.you}; here: ${m.members.join(', ')}`;
    case 'joined':
      return `* ${m.name} joined`;
    case 'left':
      return `* ${m.name} left`;
    case 'said':
      return `${m.from}: ${m.text}`;
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), spec, schema);
  const url = new URL(o.url);
  url.searchParams.set('name', o.name);
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', (e) => reject(new Error(`cannot connect to ${o.url}: ${e.message}`)));
  });
  let you = o.name;
  let unechoed = 0;
  let allEchoed: (() => void) | undefined;
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as ChatOut;
    if (m.type === 'welcome') you = m.you;
    if (m.type === 'said' && m.from === you && unechoed > 0 && --unechoed === 0) allEchoed?.();
    process.stdout.write(`${render(m)}\n`);
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const text = line.trim();
    if (!text) continue;
    unechoed += 1;
    ws.send(JSON.stringify({ type: 'say', text } satisfies ChatIn));
  }
  // stdin ended: the room broadcasts asynchronously, so wait (briefly) for our own lines to come
  // back before the close frame; a socket closing on our side would drop them.
  if (unechoed > 0) {
    const echoed = new Promise<void>((resolve) => {
      allEchoed = resolve;
    });
    await Promise.race([echoed, closed, new Promise((r) => setTimeout(r, ECHO_WAIT_MS))]);
  }
  ws.close(1000, 'bye');
  await closed;
}

runMain(usage, main);
