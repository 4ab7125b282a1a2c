/**
 * pickCodec() remembered for the last content-type seen: a subscription's messages nearly always
 * share one, and working it out again (split, trim, lower-case, look-up) per message showed in the
 * Redis bench profile.
 */
import { type Codec, HEADER, type Headers, pickCodec } from '../../internal.ts';

export class CodecMemo<T> {
  readonly #own: Codec<T> | undefined;
  readonly #fallback: Codec | undefined;
  #contentType: string | undefined;
  #codec: Codec<T> | undefined;

  constructor(own: Codec<T> | undefined, fallback: Codec | undefined) {
    this.#own = own;
    this.#fallback = fallback;
  }

  for(headers: Headers): Codec<T> {
    if (this.#own) return this.#own;
    const contentType = headers[HEADER.contentType];
    if (this.#codec === undefined || contentType !== this.#contentType) {
      this.#codec = pickCodec<T>(undefined, headers, this.#fallback);
      this.#contentType = contentType;
    }
    return this.#codec;
  }
}
