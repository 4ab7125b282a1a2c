import type { HfpEventType, JourneyType } from '../position.ts';

/** The 18 HFP v2 event types in topic (lower-case) form. */
export const HFP_EVENT_TYPES: readonly HfpEventType[] = [
  'vp',
  'due',
  'arr',
  'dep',
  'ars',
  'pde',
  'pas',
  'wait',
  'doo',
  'doc',
  'tlr',
  'tla',
  'da',
  'dout',
  'ba',
  'bout',
  'vja',
  'vjout',
];

/** Payload event key (upper-case) -> topic event type. */
const BY_PAYLOAD_KEY: ReadonlyMap<string, HfpEventType> = new Map(
  HFP_EVENT_TYPES.map((t) => [t.toUpperCase(), t]),
);
const BY_TOPIC_LEVEL: ReadonlySet<string> = new Set(HFP_EVENT_TYPES);

/** The event type for a topic level (`vp`), or null when it is not one of the 18. */
export function eventTypeFromTopic(level: string): HfpEventType | null {
  return BY_TOPIC_LEVEL.has(level) ? (level as HfpEventType) : null;
}

/** The event type for a payload key (`VP`), or null when it is not one of the 18. */
export function eventTypeFromPayloadKey(key: string): HfpEventType | null {
  return BY_PAYLOAD_KEY.get(key) ?? null;
}

export const HFP_JOURNEY_TYPES: readonly JourneyType[] = ['journey', 'deadrun', 'signoff'];

/** HFP temporal type: the vehicle is running the journey now, or the message is about a later one. */
export type HfpTemporalType = 'ongoing' | 'upcoming';

export const HFP_TEMPORAL_TYPES: readonly HfpTemporalType[] = ['ongoing', 'upcoming'];
