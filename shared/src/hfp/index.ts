// HFP v2 (HSL High-Frequency Positioning): topic + payload parsing, normalization to VehiclePosition,
// the topic geohash, and the `.hfp` capture line format.
export { type CaptureLine, formatCaptureLine, parseCaptureLine } from './capture-line.ts';
export {
  HFP_ERROR_CLASSES,
  HfpCaptureFormatError,
  HfpError,
  HfpGeohashRangeError,
  HfpRejectedError,
} from './errors.ts';
export {
  eventTypeFromPayloadKey,
  eventTypeFromTopic,
  HFP_EVENT_TYPES,
  HFP_JOURNEY_TYPES,
  HFP_TEMPORAL_TYPES,
  type HfpTemporalType,
} from './event-types.ts';
export {
  decodeHfpGeohash,
  encodeGeohashTopic,
  geohashTopicTail,
  HFP_GEOHASH_NONE,
  hfpGeohashLevel,
} from './geohash.ts';
export type { HfpMessage, HfpPayload, HfpTrafficLightPriority } from './hfp-payload.ts';
export type { HfpTopic } from './hfp-topic.ts';
export { parseIsoMillis } from './iso-time.ts';
export { type HfpNormalizeResult, normalizeHfp } from './normalize-hfp.ts';
export { type HfpResult, parseHfp, parseHfpOrThrow } from './parse-hfp.ts';
export { HFP_MAX_PAYLOAD_BYTES, type HfpPayloadResult, parseHfpPayload } from './parse-hfp-payload.ts';
export { type HfpTopicResult, parseHfpTopic } from './parse-hfp-topic.ts';
export { HFP_REJECT_REASONS, type HfpRejectReason } from './reject-reason.ts';
export type { HfpRejection } from './rejection.ts';
