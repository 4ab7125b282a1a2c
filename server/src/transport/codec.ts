/** Turns values into payload bytes and back. The content type travels in the `content-type` header. */
export interface Codec<T = unknown> {
  readonly contentType: string;
  encode(value: T): Uint8Array;
  /** Throws on bytes it cannot decode; the delivery layer sends such a message to dead letter. */
  decode(bytes: Uint8Array): T;
}
