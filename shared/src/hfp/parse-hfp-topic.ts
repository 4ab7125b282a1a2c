import type { JourneyType, TransportMode } from '../position.ts';
import { eventTypeFromTopic, type HfpTemporalType } from './event-types.ts';
import { decodeHfpGeohash } from './geohash.ts';
import type { HfpTopic } from './hfp-topic.ts';
import { excerpt, type HfpRejection, reject } from './rejection.ts';

export type HfpTopicResult = { readonly ok: true; readonly value: HfpTopic } | HfpRejection;

const MODES: ReadonlyMap<string, TransportMode> = new Map<string, TransportMode>([
  ['bus', 'bus'],
  ['tram', 'tram'],
  ['train', 'train'],
  ['ferry', 'ferry'],
  ['metro', 'metro'],
  ['ubus', 'ubus'],
  ['robot', 'robot'],
]);

const JOURNEY_TYPES: ReadonlyMap<string, JourneyType> = new Map<string, JourneyType>([
  ['journey', 'journey'],
  ['deadrun', 'deadrun'],
  ['signoff', 'signoff'],
]);

/** Levels after the vehicle number in a journey topic: route .. geohash_level, then 4 geohash levels. */
const JOURNEY_LEVELS = 6;

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `topic[from, to)` is `v` followed by digits. */
function isVersionAt(topic: string, from: number, to: number): boolean {
  if (to - from < 2 || topic.charCodeAt(from) !== 118) return false;
  for (let i = from + 1; i < to; i++) {
    const c = topic.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Parses an HFP v2 topic level by level. Never throws. Lenient where the live feed is sloppy (empty
 * transport mode, empty direction, trailing extra levels) and strict where a wrong value would
 * mislabel a vehicle (journey type, event type, operator and vehicle number).
 */
export function parseHfpTopic(topic: string): HfpTopicResult {
  if (typeof topic !== 'string') return reject('bad_topic', 'topic is not a string');
  const len = topic.length;
  // A hand scan with indexOf: cheaper than split('/') plus the array (measured), and the levels
  // after the geohash are never materialized.
  let at = topic.charCodeAt(0) === 47 ? 1 : 0; // leading slash as HSL sends it; tolerate its absence
  const prefixStart = at;
  // The prefix may be more than one level (a mirror's `/mirror/hfp/v2/...`); the version ends it.
  let version = '';
  let prefixEnd = -1;
  for (let level = 0; level < 4; level++) {
    const slash = topic.indexOf('/', at);
    if (slash < 0) break;
    if (level > 0 && isVersionAt(topic, at, slash)) {
      version = topic.slice(at, slash);
      prefixEnd = at - 1;
      at = slash + 1;
      break;
    }
    at = slash + 1;
  }
  if (prefixEnd < 0) return reject('bad_topic', `no version level in "${excerpt(topic)}"`);
  if (version !== 'v2') return reject('bad_topic', `unsupported HFP version ${excerpt(version, 10)}`);
  const prefix = topic.slice(prefixStart, prefixEnd);
  if (prefix === '') return reject('bad_topic', 'empty prefix');

  let end = topic.indexOf('/', at);
  const journeyType = end < 0 ? undefined : JOURNEY_TYPES.get(topic.slice(at, end));
  if (journeyType === undefined) return reject('bad_topic', `bad journey type level in "${excerpt(topic)}"`);
  at = end + 1;
  end = topic.indexOf('/', at);
  const temporal = end < 0 ? '' : topic.slice(at, end);
  if (temporal !== 'ongoing' && temporal !== 'upcoming')
    return reject('bad_topic', `bad temporal type level in "${excerpt(topic)}"`);
  at = end + 1;
  end = topic.indexOf('/', at);
  if (end < 0) return reject('bad_topic', `topic ends before the vehicle number: "${excerpt(topic)}"`);
  const eventLevel = topic.slice(at, end);
  const eventType = eventTypeFromTopic(eventLevel);
  if (eventType === null)
    return reject('unknown_event', `unknown event type "${excerpt(eventLevel, 20)}" in topic`);
  at = end + 1;
  end = topic.indexOf('/', at);
  if (end < 0) return reject('bad_topic', `topic ends before the vehicle number: "${excerpt(topic)}"`);
  const transportMode = topic.slice(at, end);
  const mode = MODES.get(transportMode) ?? 'unknown';
  at = end + 1;
  end = topic.indexOf('/', at);
  if (end < 0) return reject('bad_topic', `topic ends before the vehicle number: "${excerpt(topic)}"`);
  const operatorId = topic.slice(at, end);
  if (!isDigits(operatorId))
    return reject('bad_topic', `operator id "${excerpt(operatorId, 20)}" is not a number`);
  at = end + 1;
  end = topic.indexOf('/', at);
  const vehicleNumber = topic.slice(at, end < 0 ? len : end);
  if (!isDigits(vehicleNumber))
    return reject('bad_topic', `vehicle number "${excerpt(vehicleNumber, 20)}" is not a number`);

  let routeId: string | null = null;
  let direction: 1 | 2 | null = null;
  let headsign: string | null = null;
  let startTime: string | null = null;
  let nextStop: string | null = null;
  let geohashLevel: number | null = null;
  let geohash: string | null = null;
  let geohashLat: number | null = null;
  let geohashLon: number | null = null;

  // Deadrun and signoff topics end after the vehicle number (a trailing slash is tolerated).
  if (end >= 0 && end + 1 < len) {
    const levels: string[] = [];
    at = end + 1;
    while (levels.length < JOURNEY_LEVELS) {
      end = topic.indexOf('/', at);
      if (end < 0) break;
      levels.push(topic.slice(at, end));
      at = end + 1;
    }
    if (levels.length < JOURNEY_LEVELS)
      return reject('bad_topic', `journey levels cut short: "${excerpt(topic)}"`);
    routeId = levels[0] || null;
    const dir = levels[1];
    direction = dir === '1' ? 1 : dir === '2' ? 2 : null;
    headsign = levels[2] || null;
    startTime = levels[3] || null;
    nextStop = levels[4] || null;
    const level = levels[5]!;
    geohashLevel = level.length === 1 && isDigits(level) ? level.charCodeAt(0) - 48 : null;
    // The 4 geohash levels: `60;24/19/74/39`, or empty ones when there is no position.
    // A coarser geohash (fewer levels) still decodes to a coarser position.
    const s1 = topic.indexOf('/', at);
    const s2 = s1 < 0 ? -1 : topic.indexOf('/', s1 + 1);
    const s3 = s2 < 0 ? -1 : topic.indexOf('/', s2 + 1);
    const s4 = s3 < 0 ? -1 : topic.indexOf('/', s3 + 1);
    const e1 = s1 < 0 ? len : s1;
    if (e1 > at) {
      const decoded = decodeHfpGeohash(
        topic.slice(at, e1),
        s1 < 0 ? undefined : topic.slice(s1 + 1, s2 < 0 ? len : s2),
        s2 < 0 ? undefined : topic.slice(s2 + 1, s3 < 0 ? len : s3),
        s3 < 0 ? undefined : topic.slice(s3 + 1, s4 < 0 ? len : s4),
      );
      if (decoded !== null) {
        geohashLat = decoded[0];
        geohashLon = decoded[1];
        geohash = topic.slice(at, s4 < 0 ? len : s4);
      }
    }
  }

  return {
    ok: true,
    value: {
      prefix,
      version,
      journeyType,
      temporalType: temporal as HfpTemporalType,
      eventType,
      mode,
      transportMode,
      operatorId,
      vehicleNumber,
      routeId,
      direction,
      headsign,
      startTime,
      nextStop,
      geohashLevel,
      geohash,
      geohashLat,
      geohashLon,
    },
  };
}
