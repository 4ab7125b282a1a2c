/**
 * WebSocket frames (RFC 6455, server to client: FIN, unmasked) built by the gateway, so each frame is
 * one buffer written straight to the connection. A frame's header goes into room kept in front of its
 * payload (no copy), and a frame for every client (status, notifications) is framed once. ws's own
 * send builds a header per call and writes two buffers. Safe beside ws's sender: the gateway never
 * compresses or sends Blobs, so that sender never queues, and every write is a whole frame.
 */
export const OPCODE_TEXT = 1;
export const OPCODE_BINARY = 2;
/** The longest header (64-bit length): room kept in front of every binary payload. */
export const HEADROOM = 10;

function headerBytes(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10;
}

function writeHeader(out: Buffer, opcode: number, length: number): void {
  out[0] = 0x80 | opcode;
  if (length < 126) {
    out[1] = length;
  } else if (length < 65_536) {
    out[1] = 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 127;
    out.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    out.writeUInt32BE(length >>> 0, 6);
  }
}

/** `size` bytes of fresh memory with HEADROOM bytes of its own in front (for `frameInPlace`). */
export function allocWithHeadroom(size: number): Uint8Array {
  return Buffer.allocUnsafe(size + HEADROOM).subarray(HEADROOM);
}

/**
 * The binary frame around `payload`, its header written into the HEADROOM bytes in front of it
 * (which must belong to the same allocation: see `allocWithHeadroom`, FrameBuffer).
 */
export function frameInPlace(payload: Uint8Array): Buffer {
  const h = headerBytes(payload.length);
  const frame = Buffer.from(payload.buffer, payload.byteOffset - h, payload.length + h);
  writeHeader(frame, OPCODE_BINARY, payload.length);
  return frame;
}

/** A frame of `payload` in new memory (text for a string): framed once, written to many clients. */
export function frameCopy(payload: string | Uint8Array): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const h = headerBytes(bytes.length);
  const frame = Buffer.allocUnsafe(h + bytes.length);
  writeHeader(frame, typeof payload === 'string' ? OPCODE_TEXT : OPCODE_BINARY, bytes.length);
  frame.set(bytes, h);
  return frame;
}
