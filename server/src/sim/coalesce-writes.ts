import type { Socket } from 'node:net';

/**
 * aedes writes every delivered message from its own setImmediate, as five small writes (header,
 * length, topic length, topic, payload), and mqtt-packet corks and uncorks around each message: left
 * alone that is a writev syscall per message, the largest single cost of the embedded path under load.
 * Instead a turn's writes are copied into one buffer and handed to the socket once, at the next turn
 * (latency: one turn): one stream write and one syscall per turn, not a buffered stream entry per
 * chunk. Backpressure is the socket's own: a write that finds a turn's worth pending passes everything
 * through at once and returns the socket's answer, and while the socket is over its mark every write
 * says so: either way aedes waits for the 'drain' the socket will emit.
 * A write with a callback (or an encoding other than UTF-8), and `end()`, first send what is pending.
 */
export function coalesceWrites(socket: Socket): void {
  const write = socket.write;
  const end = socket.end;
  let pending: (string | Uint8Array)[] = [];
  /** Upper bound on the pending bytes: UTF-16 code units count 3 (UTF-8's most per unit). */
  let bound = 0;
  let scheduled = false;
  const flush = (): boolean => {
    scheduled = false;
    const chunks = pending;
    pending = [];
    // A closed socket loses what was pending, as corked writes would: aedes is closing the client.
    if (socket.destroyed || socket.writableEnded) {
      bound = 0;
      return false;
    }
    if (chunks.length === 0) return socket.writableLength < socket.writableHighWaterMark;
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
    return write.call(socket, out.subarray(0, at)) as boolean;
  };
  const scheduledFlush = () => {
    if (scheduled) flush();
  };
  // mqtt-packet corks the stream per message when it can (`if (stream.cork)`), and schedules an
  // uncork on nextTick: nothing to cork here any more, so it skips both.
  (socket as { cork?: Socket['cork'] }).cork = undefined;
  socket.write = function coalescedWrite(this: Socket, chunk: unknown, ...rest: unknown[]) {
    const plain = rest.length === 0 || (rest.length === 1 && (rest[0] === 'utf8' || rest[0] === 'utf-8'));
    if (!plain || !(typeof chunk === 'string' || chunk instanceof Uint8Array)) {
      flush();
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    }
    pending.push(chunk);
    bound += typeof chunk === 'string' ? chunk.length * 3 : chunk.length;
    if (bound >= socket.writableHighWaterMark) return flush();
    if (!scheduled) {
      scheduled = true;
      setImmediate(scheduledFlush);
    }
    // Still over the mark from an earlier turn: that write returned false, so 'drain' will come.
    return socket.writableLength < socket.writableHighWaterMark;
  } as Socket['write'];
  socket.end = function coalescedEnd(this: Socket, ...args: unknown[]) {
    flush();
    return (end as (...a: unknown[]) => Socket).apply(this, args);
  } as Socket['end'];
}
