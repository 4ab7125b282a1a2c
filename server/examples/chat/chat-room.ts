/**
 * The chat room on the WebSocket server transport: a name per session (from `?name=`), every `say`
 * broadcast to every connected client, `joined` / `left` notices on connect and disconnect.
 */

import type { Server as HttpServer } from 'node:http';
import { type TransportLogger, WebSocketServerTransport } from '../../src/transport/index.ts';
import { type ChatIn, type ChatOut, checkChatIn, displayName } from './chat-message.ts';

export interface ChatMeta {
  name: string;
}

export function createChatRoom(
  server: HttpServer,
  logger: TransportLogger,
): WebSocketServerTransport<ChatIn, ChatOut, ChatMeta> {
  const room = new WebSocketServerTransport<ChatIn, ChatOut, ChatMeta>({
    name: 'chat',
    server,
    path: '/ws',
    check: checkChatIn,
    maxFrameBytes: 4 * 1024,
    logger,
  });
  let guests = 0;
  room.onConnect((session, request) => {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    session.meta = { name: displayName(query.get('name'), `guest-${++guests}`) };
    const members = [...room.sessions.values()].map((s) => s.meta.name).filter(Boolean);
    room.send(session.id, { type: 'welcome', you: session.meta.name, members });
    room.broadcast({ type: 'joined', name: session.meta.name, at: Date.now() }, (s) => s.id !== session.id);
  });
  room.onDisconnect((session) => {
    room.broadcast({ type: 'left', name: session.meta.name, at: Date.now() });
  });
  room.on('say', (session, message) => {
    room.broadcast({ type: 'said', from: session.meta.name, text: message.text, at: Date.now() });
  });
  return room;
}
