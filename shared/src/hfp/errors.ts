import type { HfpRejectReason } from './reject-reason.ts';

/**
 * The HFP area's error catalogue. The parser itself never throws (it returns a rejection); these are
 * for the helpers that do: encoders given impossible input, and callers that want a rejection as an
 * exception. Each class has a stable, unique `code` (guarded by a test).
 */
export abstract class HfpError extends Error {
  abstract readonly code: `HFP_${string}`;
}

/** `parseHfpOrThrow` turned down a message; `reason` is the rejection's stable reason. */
export class HfpRejectedError extends HfpError {
  static readonly code = 'HFP_MESSAGE_REJECTED';
  readonly code = HfpRejectedError.code;
  override readonly name = 'HfpRejectedError';
  constructor(
    readonly reason: HfpRejectReason,
    readonly detail: string,
  ) {
    super(`HFP message rejected (${reason}): ${detail}`);
  }
}

/** Coordinates outside WGS84 cannot be put into a topic geohash. */
export class HfpGeohashRangeError extends HfpError {
  static readonly code = 'HFP_GEOHASH_OUT_OF_RANGE';
  readonly code = HfpGeohashRangeError.code;
  override readonly name = 'HfpGeohashRangeError';
  constructor(
    readonly lat: number,
    readonly lon: number,
  ) {
    super(`cannot encode an HFP geohash for lat ${lat}, lon ${lon}: outside WGS84`);
  }
}

/** A capture line cannot hold this topic or payload (a line break, or ` {` inside the topic). */
export class HfpCaptureFormatError extends HfpError {
  static readonly code = 'HFP_CAPTURE_UNWRITABLE';
  readonly code = HfpCaptureFormatError.code;
  override readonly name = 'HfpCaptureFormatError';
}

/** Every error class of the catalogue, for the uniqueness test and for documentation. */
export const HFP_ERROR_CLASSES = [HfpRejectedError, HfpGeohashRangeError, HfpCaptureFormatError] as const;
