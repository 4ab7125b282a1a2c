import type { Writable } from 'node:stream';

/**
 * mqtt-packet writes every packet as many small stream writes (header byte, length, topic length,
 * topic, packet id, each MQTT 5 property in pieces, payload) and corks and uncorks around each one:
 * left alone that is a buffered stream entry per piece and a writev syscall per packet, the largest
 * single cost of MQTT on a busy connection (aedes' subscriber sockets, mqtt.js's PUBLISHes and PUBACKs).
 * Instead a turn's writes are copied into one buffer and handed to the stream once, at the next turn
 * (latency: one turn): one stream write and one syscall per turn.
 *
 * Backpressure is the stream's own: a write that finds a turn's worth pending passes everything through
 * at once and returns the stream's answer, and while the stream is over its mark every write says so:
 * either way the writer waits for the 'drain' the stream will emit.
 * A write with a callback (or an encoding other than UTF-8), `end()` and `destroy()` first send what is
 * pending, so nothing written before them is lost or reordered (a destroyed net.Socket drops only what
 * it had not handed to the kernel, as before).
 */
export function coalesceWrites(stream: Writable): void {
  const write = stream.write as (...args: unknown[]) => boolean;
  const end = stream.end as (...args: unknown[]) => Writable;
  const destroy = stream.destroy as (...args: unknown[]) => Writable;
  let pending: (string | Uint8Array)[] = [];
  /** Upper bound on the pending bytes: UTF-16 code units count 3 (UTF-8's most per unit). */
  let bound = 0;
  let scheduled = false;
  const flush = (): boolean => {
    scheduled = false;
    const chunks = pending;
    pending = [];
    // A closed stream loses what was pending, as corked writes would: its owner is closing it.
    if (stream.destroyed || stream.writableEnded) {
      bound = 0;
      return false;
    }
    if (chunks.length === 0) return stream.writableLength < stream.writableHighWaterMark;
    const out = Buffer.allocUnsafe(bound);
    bound = 0;
    let at = 0;
    for (const c of chunks) {
      if (typeof c === 'string') at += out.write(c, at);
      else {
        out.set(c, at);
        at += c.length;
      }
    }
    return write.call(stream, out.subarray(0, at));
  };
  const scheduledFlush = () => {
    if (scheduled) flush();
  };
  // mqtt-packet corks the stream per packet when it can (`if (stream.cork)`), and schedules an
  // uncork on nextTick: nothing to cork here any more, so it skips both.
  (stream as { cork?: Writable['cork'] }).cork = undefined;
  stream.write = function coalescedWrite(this: Writable, chunk: unknown, ...rest: unknown[]) {
    const plain = rest.length === 0 || (rest.length === 1 && (rest[0] === 'utf8' || rest[0] === 'utf-8'));
    if (!plain || !(typeof chunk === 'string' || chunk instanceof Uint8Array)) {
      flush();
      return write.call(this, chunk, ...rest);
    }
    pending.push(chunk);
    bound += typeof chunk === 'string' ? chunk.length * 3 : chunk.length;
    if (bound >= stream.writableHighWaterMark) return flush();
    if (!scheduled) {
      scheduled = true;
      setImmediate(scheduledFlush);
    }
    // Still over the mark from an earlier turn: that write returned false, so 'drain' will come.
    return stream.writableLength < stream.writableHighWaterMark;
  } as Writable['write'];
  stream.end = function coalescedEnd(this: Writable, ...args: unknown[]) {
    flush();
    return end.apply(this, args);
  } as Writable['end'];
  stream.destroy = function coalescedDestroy(this: Writable, ...args: unknown[]) {
    if (pending.length > 0) flush();
    return destroy.apply(this, args);
  } as Writable['destroy'];
}
