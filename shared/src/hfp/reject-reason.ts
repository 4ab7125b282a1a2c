/**
 * Why a message was not turned into a position. Stable codes: the server counts rejections by these
 * (metrics labels), so rename only with a migration of dashboards in mind.
 */
export const HFP_REJECT_REASONS = [
  /** Topic is not an HFP v2 topic: wrong prefix/version, missing or malformed levels. */
  'bad_topic',
  /** Payload is not valid UTF-8 JSON. */
  'bad_json',
  /** JSON, but not `{ "<EVENT>": { ...fields } }` with exactly one key. */
  'bad_payload',
  /** Payload bigger than any real HFP message; not parsed. */
  'payload_too_large',
  /** Event type (topic level or payload key) is not one of the 18 HFP v2 events. */
  'unknown_event',
  /** Topic event type and payload key disagree (`/vp/` with `{"DUE":...}`). */
  'event_mismatch',
  /** No usable coordinates: `lat`/`long` missing, null, non-numeric or 0,0. */
  'no_position',
  /** Coordinates outside WGS84 range. */
  'coordinates_out_of_range',
  /** Neither `tst` nor `tsi` gives a plausible event time. */
  'bad_timestamp',
  /** The parser itself failed (a bug): the message is dropped, the feed goes on. */
  'internal_error',
] as const;

export type HfpRejectReason = (typeof HFP_REJECT_REASONS)[number];
