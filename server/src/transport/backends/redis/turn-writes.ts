/**
 * One socket write per turn for the command connection's publishes, without ioredis' auto-pipelining.
 *
 * Auto-pipelining costs, per command, a promise and a closure of its own, a pipeline entry with two
 * promise reactions, a result slot and a nextTick to hand the reply back. Instead the broker sends
 * plain commands and, at a turn's first publish, holds the socket's writes until setImmediate (where
 * the auto-pipeline would have written): ioredis' command strings are joined into one string (a
 * rope: O(1) per command) and written once, one flatten and one syscall for the turn. Node's own
 * cork() gave the same batching but a writev of one chunk per command: about 8 µs per message in
 * socket writes in a --cpu-prof of the Redis bench's work, against about 2 for the joined string.
 *
 * Every write on the socket goes through the hold while it lasts (acks and other commands too), so
 * the bytes leave in the order ioredis queued the commands, which is the order it matches replies
 * in. A Buffer (a binary payload's command), a write with an encoding or callback, end() and
 * destroy() first send what is held. A closed socket loses what was held, as it would lose corked
 * writes; ioredis still has those commands queued and resends or rejects them as for any lost write.
 */
import type { Writable } from 'node:stream';

/** Held text is sent at once past this many UTF-16 units (V8 strings have a maximum length). */
const MAX_HELD = 1 << 20;

interface Hold {
  /** Holds this socket's writes until setImmediate (nothing more when already holding). */
  start(): void;
}

const holds = new WeakMap<Writable, Hold>();

/** Holds `socket`'s writes for the rest of this turn. */
export function holdWritesForTurn(socket: Writable): void {
  let hold = holds.get(socket);
  if (hold === undefined) {
    hold = install(socket);
    holds.set(socket, hold);
  }
  hold.start();
}

function install(socket: Writable): Hold {
  const write = socket.write as (...args: unknown[]) => boolean;
  const end = socket.end as (...args: unknown[]) => Writable;
  const destroy = socket.destroy as (...args: unknown[]) => Writable;
  let held = '';
  let holding = false;
  const send = (): void => {
    if (held === '') return;
    const text = held;
    held = '';
    // Closing: its owner is ending it, and what was held goes the way of unflushed writes.
    if (socket.destroyed || socket.writableEnded) return;
    write.call(socket, text);
  };
  const release = (): void => {
    holding = false;
    send();
  };
  socket.write = function heldWrite(this: Writable, chunk: unknown, ...rest: unknown[]): boolean {
    if (holding && rest.length === 0 && typeof chunk === 'string') {
      held += chunk;
      if (held.length >= MAX_HELD) send();
      return !socket.writableNeedDrain;
    }
    send();
    return write.call(this, chunk, ...rest);
  } as Writable['write'];
  socket.end = function heldEnd(this: Writable, ...args: unknown[]) {
    send();
    return end.apply(this, args);
  } as Writable['end'];
  socket.destroy = function heldDestroy(this: Writable, ...args: unknown[]) {
    send();
    return destroy.apply(this, args);
  } as Writable['destroy'];
  return {
    start() {
      if (holding) return;
      holding = true;
      setImmediate(release);
    },
  };
}
