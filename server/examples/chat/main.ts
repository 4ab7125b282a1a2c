/**
 * Chat room: the WebSocket server transport with typed chat messages, each broadcast to every
 * connected client, with joined / left notices. Open the printed address in a browser, or use
 * client.ts. Ctrl-C closes every session (1001) and exits 0.
 *
 *   pnpm --filter @realtimemap/server exec tsx examples/chat/main.ts --port 8080
 */
import { z } from 'zod';
import { App } from '../../src/transport/index.ts';
import { intOption } from '../support/broker-options.ts';
import { parseOptions, runMain } from '../support/cli.ts';
import { createLogger, LOG_LEVELS } from '../support/logger.ts';
import { createChatRoom } from './chat-room.ts';
import { ChatHttpServer } from './http-server.ts';

const usage = `usage: chat/main.ts [options]
  --host <host>      listen address (default 127.0.0.1)
  --port <port>      HTTP + WebSocket port; 0 = a free one (default 8080)
  --log-level <lvl>  pino level for the log on stderr (default error)`;

const spec = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '8080' },
  'log-level': { type: 'string', default: 'error' },
} as const;

const schema = z.object({
  host: z.string().min(1),
  port: intOption(0).max(65_535),
  'log-level': z.enum(LOG_LEVELS),
});

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), spec, schema);
  const logger = createLogger(o['log-level'], 'chat');
  const http = new ChatHttpServer(o.host, o.port);
  const room = createChatRoom(http.fastify.server, logger);
  room.onConnect((s) => logger.info({ session: s.id }, 'chat: connected'));
  // The room stops first (closing sessions), then the HTTP server.
  const app = new App({ servers: [http, room], logger, stopDeadlineMs: 10_000 });
  await app.start();
  process.stdout.write(
    `chat room on ${http.url} (WebSocket ${http.url.replace('http', 'ws')}/ws?name=you)\n`,
  );
  await app.stopped;
  await app.stop();
}

runMain(usage, main);
