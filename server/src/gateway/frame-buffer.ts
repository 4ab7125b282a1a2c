/**
 * One reusable buffer to assemble frames in. A frame written to a socket goes to the kernel there
 * and then unless the socket is backed up; only then does the socket keep a reference to the bytes,
 * and the next frame must go elsewhere (`release`). So in the common case a tick allocates no memory
 * per frame (at 25,000 frames/s that was most of the garbage collector's work). Every frame taken
 * has HEADROOM bytes in front for its WebSocket header (ws-frame.ts).
 */
import { HEADROOM } from './ws-frame.ts';

export class FrameBuffer {
  private buf: Buffer;

  constructor(private readonly initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** `size` bytes for the next frame: valid until the next `take` (unless released). */
  readonly take = (size: number): Uint8Array => {
    if (size + HEADROOM > this.buf.length) {
      this.buf = Buffer.allocUnsafeSlow(Math.max(size + HEADROOM, this.buf.length * 2));
    }
    return this.buf.subarray(HEADROOM, HEADROOM + size);
  };

  /** The last frame is still held by a socket: never write over it; later frames get a new buffer. */
  release(): void {
    this.buf = Buffer.allocUnsafeSlow(this.initialBytes);
  }
}
