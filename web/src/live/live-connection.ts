/**
 * The WebSocket to the gateway. Reconnects forever with backoff; on every (re)connect it resends what
 * the client wants (viewport, filter, followed vehicle) so the server can answer with a fresh snapshot.
 * Frames are decoded and handed to `onMessage`; bad frames are counted, never thrown into the socket.
 */
import { type ClientMessage, encodeClientMessage, type ServerMessage } from '@realtimemap/shared';
import type { ConnectionState } from '../state/ui-store.ts';
import { backoffDelay } from './backoff.ts';
import { decodeFrame } from './handle-server-message.ts';

export interface LiveConnectionOptions {
  readonly url: string;
  readonly onMessage: (message: ServerMessage) => void;
  readonly onState: (state: ConnectionState) => void;
  /** Messages to send after each open, in order (viewport, filter, follow). */
  readonly greeting: () => ClientMessage[];
  readonly createSocket?: (url: string) => WebSocket;
}

export class LiveConnection {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  /** Frames that failed to decode (shown by the debug hook). */
  badFrames = 0;

  constructor(private readonly options: LiveConnectionOptions) {}

  start(): void {
    this.closed = false;
    this.open();
  }

  send(message: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(encodeClientMessage(message));
  }

  stop(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
  }

  private open(): void {
    const socket = (this.options.createSocket ?? ((u) => new WebSocket(u)))(this.options.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.options.onState('connected');
      for (const m of this.options.greeting()) socket.send(encodeClientMessage(m));
    };
    socket.onmessage = (event: MessageEvent) => {
      let message: ServerMessage;
      try {
        message = decodeFrame(event.data);
      } catch {
        this.badFrames++;
        return;
      }
      this.options.onMessage(message);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.closed) return;
      this.options.onState('reconnecting');
      this.timer = setTimeout(() => this.open(), backoffDelay(this.attempt++));
    };
    // onclose follows onerror; reconnect is handled there.
    socket.onerror = () => {};
  }
}
