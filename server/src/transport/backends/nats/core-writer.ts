/**
 * Writes a core NATS publish as one `HPUB` frame: the protocol line, our header block and the payload
 * encoded together into one buffer and handed to nats.js' outbound queue (its ProtocolHandler's
 * `sendCommand`, what `nc.publish` ends in). `nc.publish` encodes the protocol line with a
 * TextEncoder call of its own and queues four buffers per message; in the transport-nats profile
 * that was the largest cost of a core publish after JSON. The bytes on the wire are the same.
 *
 * This reads nats.js internals (`protocol`, `info`, `noMorePublishing`, `outBytes`, `outMsgs`), so
 * the writer checks their shape once and falls back to `nc.publish` for anything unusual: a
 * connection of another shape, closed or draining, a server without headers, a message near or past
 * `max_payload` (nats.js then raises its own error). `nats-wire.test.ts` fails if the shape changes.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { encodedHeaders, type PublishHeaderText } from './nats-headers.ts';

/** The part of nats.js' ProtocolHandler (nats-core 3.x) the writer uses. */
interface Protocol {
  info?: { readonly headers?: boolean; readonly max_payload?: number };
  noMorePublishing: boolean;
  outBytes: number;
  outMsgs: number;
  sendCommand(cmd: Uint8Array): void;
}

const SLAB_SIZE = 64 * 1024;
/** Larger frames take nc.publish (rare; saves nothing worth a slab). */
const MAX_FRAME = SLAB_SIZE / 8;
const CR = 13;
const LF = 10;
const encoder = new TextEncoder();

export class CoreWriter {
  readonly #nc: NatsConnection;
  readonly #protocol: Protocol | undefined;
  /**
   * Frames are encoded into a shared slab (as Buffer.from does into its pool). nats.js keeps a frame
   * until its next socket write, so a slab is never reused: a full one is replaced, and the old one
   * lives as long as a queued frame points into it.
   */
  #slab = new Uint8Array(SLAB_SIZE);
  #used = 0;

  constructor(nc: NatsConnection) {
    this.#nc = nc;
    this.#protocol = protocolOf(nc);
  }

  /** True when publishes take the one-frame path (false: every publish goes through nc.publish). */
  get direct(): boolean {
    return this.#protocol !== undefined;
  }

  /**
   * Publishes `data` on `subject` with `block` (publishHeaderText). Throws as nc.publish does. A
   * string `data` is the payload's text, encoded as UTF-8 straight into the frame (core JSON: no
   * Buffer of its own, no copy).
   */
  publish(subject: string, block: PublishHeaderText, data: Uint8Array | string): void {
    const headerText = block.text;
    const p = this.#protocol;
    const info = p?.info;
    if (
      p === undefined ||
      info === undefined ||
      info.headers !== true ||
      p.noMorePublishing ||
      this.#nc.isClosed()
    ) {
      this.#fallback(subject, headerText, data);
      return;
    }
    const text = typeof data === 'string';
    const headerBytes = block.ascii ? headerText.length : Buffer.byteLength(headerText, 'utf8');
    const dataBytes = text ? Buffer.byteLength(data, 'utf8') : data.length;
    const size = headerBytes + dataBytes;
    const line = `HPUB ${subject} ${headerBytes} ${size}\r\n`;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const max = (line.length + headerText.length + (text ? data.length : 0)) * 3 + (text ? 0 : dataBytes) + 2;
    if (max > MAX_FRAME || !(size <= (info.max_payload ?? 0))) {
      this.#fallback(subject, headerText, data);
      return;
    }
    if (this.#used + max > SLAB_SIZE) {
      this.#slab = new Uint8Array(SLAB_SIZE);
      this.#used = 0;
    }
    const slab = this.#slab;
    const start = this.#used;
    const head = line + headerText;
    const { written } = encoder.encodeInto(
      text ? head + data : head,
      new Uint8Array(slab.buffer, start, max),
    );
    let at = start + written;
    if (!text) {
      slab.set(data, at);
      at += dataBytes;
    }
    slab[at++] = CR;
    slab[at++] = LF;
    this.#used = at;
    p.outBytes += size;
    p.outMsgs++;
    p.sendCommand(new Uint8Array(slab.buffer, start, at - start));
  }

  #fallback(subject: string, headerText: string, data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.#nc.publish(subject, bytes, { headers: encodedHeaders(headerText) });
  }
}

/** nats.js' ProtocolHandler when it has the fields and method the writer relies on. */
function protocolOf(nc: NatsConnection): Protocol | undefined {
  const p = (nc as unknown as { protocol?: Partial<Protocol> }).protocol;
  if (
    typeof p !== 'object' ||
    p === null ||
    typeof p.sendCommand !== 'function' ||
    typeof p.noMorePublishing !== 'boolean' ||
    typeof p.outBytes !== 'number' ||
    typeof p.outMsgs !== 'number'
  ) {
    return undefined;
  }
  return p as Protocol;
}
