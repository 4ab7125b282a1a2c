/**
 * amqplib's Mux writes every frame (each publish, each ack) to the socket with its own write(), one
 * syscall each: the largest single cost in the bench's CPU profile. Corking the socket while the Mux
 * drains its channels' buffers turns each pass into one writev, with the same bytes in the same
 * order; backpressure is unchanged (write() still returns false past the socket's high-water mark
 * and the Mux waits for 'drain' as before).
 *
 * This reaches into amqplib internals (`connection.muxer`, `connection.stream`), so it checks their
 * shape first and leaves the connection as it is when they differ (another amqplib version): the
 * backend then works as before, only with more syscalls.
 */
import type { ChannelModel } from 'amqplib';

interface Internals {
  readonly connection?: {
    readonly stream?: { cork?: () => void; uncork?: () => void };
    readonly muxer?: { _readIncoming?: () => void };
  };
}

/** Returns whether the connection's frame writes are now coalesced. */
export function coalesceFrameWrites(model: ChannelModel): boolean {
  const { stream, muxer } = (model as unknown as Internals).connection ?? {};
  const read = muxer?._readIncoming;
  if (!stream || !muxer || typeof read !== 'function') return false;
  if (typeof stream.cork !== 'function' || typeof stream.uncork !== 'function') return false;
  muxer._readIncoming = function readCorked(this: unknown) {
    stream.cork!();
    try {
      read.call(this);
    } finally {
      stream.uncork!();
    }
  };
  return true;
}
