import type { WebSocket } from 'ws';
import { Fifo } from '../delivery/fifo.ts';

const SLOW_CLOSE_GRACE_MS = 1_000;

export interface SendQueueOptions {
  /** Frames a session may have waiting (default 256). */
  readonly maxFrames: number;
  /** Bytes a session may have waiting, ours plus the socket's own buffer (default 4 MiB). */
  readonly maxBytes: number;
  /**
   * Past either limit: 'drop-oldest' (default: for live feeds the newest frame matters most) drops
   * waiting frames to make room; 'close' closes the slow session with 1013 (try again later).
   */
  readonly overflow: 'drop-oldest' | 'close';
}

export type SendResult = 'sent' | 'queued' | 'dropped' | 'closed';

interface Frame {
  readonly data: Uint8Array;
  readonly binary: boolean;
}

/**
 * One client connection. Frames go straight to the socket while its buffer is small; otherwise they
 * wait in a bounded queue, so a slow client costs at most maxBytes of memory.
 */
export class WebSocketSession<Meta = Record<string, unknown>> {
  /** Free for the application (user id, viewport, ...). */
  meta: Meta;
  lastSeen = Date.now();
  dropped = 0;
  private readonly queue = new Fifo<Frame>();
  private queuedBytes = 0;
  private writing = false;

  constructor(
    readonly id: string,
    readonly socket: WebSocket,
    readonly remoteAddress: string | undefined,
    private readonly limits: SendQueueOptions,
    meta: Meta,
  ) {
    this.meta = meta;
  }

  get isOpen(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  /** Frames waiting in our queue (not yet handed to the socket). */
  get queuedFrames(): number {
    return this.queue.length;
  }

  /** Sends an encoded frame or queues it; never grows past the limits. */
  sendRaw(data: Uint8Array, binary: boolean): SendResult {
    if (!this.isOpen) return 'closed';
    if (!this.writing && this.queue.length === 0 && this.socket.bufferedAmount < this.limits.maxBytes / 4) {
      this.write({ data, binary });
      return 'sent';
    }
    if (data.byteLength > this.limits.maxBytes) {
      this.dropped++;
      return 'dropped';
    }
    let dropped = false;
    while (
      this.queue.length >= this.limits.maxFrames ||
      this.queuedBytes + data.byteLength + this.socket.bufferedAmount > this.limits.maxBytes
    ) {
      if (this.limits.overflow === 'close') {
        this.close(1013, 'send queue full');
        // A client too slow to read its frames will not read the close frame either: cut it off.
        setTimeout(() => this.socket.terminate(), SLOW_CLOSE_GRACE_MS).unref();
        return 'closed';
      }
      const old = this.queue.shift();
      if (!old) break;
      this.queuedBytes -= old.data.byteLength;
      this.dropped++;
      dropped = true;
    }
    this.queue.push({ data, binary });
    this.queuedBytes += data.byteLength;
    return dropped ? 'dropped' : 'queued';
  }

  close(code = 1000, reason = ''): void {
    if (this.socket.readyState === this.socket.CLOSED) return;
    this.socket.close(code, reason);
  }

  /** Resolves once the queue is empty (or the session closed), or after `ms`. */
  async flush(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.isOpen && (this.queue.length > 0 || this.writing) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  private write(frame: Frame): void {
    this.writing = true;
    this.socket.send(frame.data, { binary: frame.binary }, () => {
      this.writing = false;
      this.pump();
    });
  }

  private pump(): void {
    if (!this.isOpen) return;
    const next = this.queue.shift();
    if (!next) return;
    this.queuedBytes -= next.data.byteLength;
    this.write(next);
  }
}
