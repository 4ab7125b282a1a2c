/**
 * A command-line chat client: each line typed (stdin) is said in the room; what the room says is
 * printed. Ends when stdin ends (Ctrl-D) or the server closes the connection.
 *
 *   pnpm --filter @realtimemap/server exec tsx examples/chat/client.ts --name alice
 */
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { z } from 'zod';
import { parseOptions, runMain } from '../support/cli.ts';
import type { ChatIn, ChatOut } from './chat-message.ts';

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
  ws.on('message', (data) => {
    process.stdout.write(`${render(JSON.parse(data.toString()) as ChatOut)}\n`);
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const text = line.trim();
    if (text) ws.send(JSON.stringify({ type: 'say', text } satisfies ChatIn));
  }
  // stdin ended: leave politely (the send queue flushes before the close frame).
  ws.close(1000, 'bye');
  await closed;
}

runMain(usage, main);
