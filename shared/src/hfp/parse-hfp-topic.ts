import type { JourneyType, TransportMode } from '../position.ts';
import { eventTypeFromTopic } from './event-types.ts';
import type { HfpTopic } from './hfp-topic.ts';
import { excerpt, type HfpRejection, isRejection, reject } from './rejection.ts';

export type HfpTopicResult = { readonly ok: true; readonly value: HfpTopic } | HfpRejection;

/**
 * Parses an HFP v2 topic level by level. Never throws. Lenient where the live feed is sloppy (empty
 * transport mode, empty direction, trailing extra levels) and strict where a wrong value would
 * mislabel a vehicle (journey type, event type, operator and vehicle number).
 */
export function parseHfpTopic(topic: string): HfpTopicResult {
  const r = scanHfpTopic(topic);
  return isRejection(r) ? r : { ok: true, value: r };
}

function transportMode(level: string): TransportMode {
  switch (level) {
    case 'bus':
    case 'tram':
    case 'train':
    case 'ferry':
    case 'metro':
    case 'ubus':
    case 'robot':
      return level;
    default:
      return 'unknown';
  }
}

function isDigitsAt(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `topic[from, to)` is `v` followed by digits. */
function isVersionAt(topic: string, from: number, to: number): boolean {
  return to - from >= 2 && topic.charCodeAt(from) === 118 && isDigitsAt(topic, from + 1, to);
}

function cutShort(topic: string): HfpRejection {
  return reject('bad_topic', `topic ends before the vehicle number: "${excerpt(topic)}"`);
}

/**
 * The hot path behind parseHfpTopic and parseHfp: the topic or a rejection, without a result wrapper.
 * A hand scan with indexOf/startsWith instead of split('/'): no array, and only the levels that become
 * values are sliced out (measured about 2x faster on the captures).
 */
export function scanHfpTopic(topic: string): HfpTopic | HfpRejection {
  if (typeof topic !== 'string') return reject('bad_topic', 'topic is not a string');
  const len = topic.length;
  let prefix = 'hfp';
  let journeyType: JourneyType = 'journey';
  let upcoming = false;
  let at: number;
  // Nearly every live message: one comparison for the first four levels.
  if (topic.startsWith('/hfp/v2/journey/ongoing/')) at = 24;
  else {
    if (topic.startsWith('/hfp/v2/')) at = 8;
    else {
      // Leading slash optional; the prefix may be more than one level (a mirror's `/mirror/hfp/v2/`).
      const prefixStart = topic.charCodeAt(0) === 47 ? 1 : 0;
      let from = prefixStart;
      let versionAt = -1;
      for (let level = 0; level < 4 && versionAt < 0; level++) {
        const slash = topic.indexOf('/', from);
        if (slash < 0) break;
        if (level > 0 && isVersionAt(topic, from, slash)) versionAt = from;
        else from = slash + 1;
      }
      if (versionAt < 0) return reject('bad_topic', `no version level in "${excerpt(topic)}"`);
      if (!topic.startsWith('v2/', versionAt))
        return reject('bad_topic', `unsupported HFP version in "${excerpt(topic)}"`);
      prefix = topic.slice(prefixStart, versionAt - 1);
      if (prefix === '') return reject('bad_topic', 'empty prefix');
      at = versionAt + 3;
    }
    if (topic.startsWith('journey/', at)) journeyType = 'journey';
    else if (topic.startsWith('deadrun/', at)) journeyType = 'deadrun';
    else if (topic.startsWith('signoff/', at)) journeyType = 'signoff';
    else return reject('bad_topic', `bad journey type level in "${excerpt(topic)}"`);
    at += 8;
    if (topic.startsWith('ongoing/', at)) at += 8;
    else if (topic.startsWith('upcoming/', at)) {
      upcoming = true;
      at += 9;
    } else return reject('bad_topic', `bad temporal type level in "${excerpt(topic)}"`);
  }

  let end = topic.indexOf('/', at);
  if (end < 0) return cutShort(topic);
  // vp is nine messages in ten: skip the slice and the lookup for it.
  const eventType =
    end === at + 2 && topic.startsWith('vp', at) ? 'vp' : eventTypeFromTopic(topic.slice(at, end));
  if (eventType === null)
    return reject('unknown_event', `unknown event type "${excerpt(topic.slice(at, end), 20)}" in topic`);
  at = end + 1;
  end = topic.indexOf('/', at);
  if (end < 0) return cutShort(topic);
  const modeLevel = end === at + 3 && topic.startsWith('bus', at) ? 'bus' : topic.slice(at, end);
  at = end + 1;
  end = topic.indexOf('/', at);
  if (end < 0) return cutShort(topic);
  if (!isDigitsAt(topic, at, end))
    return reject('bad_topic', `operator id is not a number in "${excerpt(topic)}"`);
  const operatorId = topic.slice(at, end);
  const vehicleIdStart = at;
  at = end + 1;
  end = topic.indexOf('/', at);
  const vehicleEnd = end < 0 ? len : end;
  if (!isDigitsAt(topic, at, vehicleEnd))
    return reject('bad_topic', `vehicle number is not a number in "${excerpt(topic)}"`);
  const vehicleNumber = topic.slice(at, vehicleEnd);
  // `<operator>/<vehicle>` is already in the topic: one slice instead of a concatenation.
  const vehicleId = topic.slice(vehicleIdStart, vehicleEnd);

  let routeId: string | null = null;
  let direction: 1 | 2 | null = null;
  let headsign: string | null = null;
  let startTime: string | null = null;
  let nextStop: string | null = null;
  let geohashLevel: number | null = null;
  let geohash: string | null = null;

  // Deadrun and signoff topics end after the vehicle number (a trailing slash is tolerated).
  if (end >= 0 && end + 1 < len) {
    // route/direction/headsign/start/next_stop/geohash_level/, each followed by a slash.
    at = end + 1;
    end = topic.indexOf('/', at);
    if (end < 0) return reject('bad_topic', `journey levels cut short: "${excerpt(topic)}"`);
    if (end > at) routeId = topic.slice(at, end);
    at = end + 1;
    end = topic.indexOf('/', at);
    if (end < 0) return reject('bad_topic', `journey levels cut short: "${excerpt(topic)}"`);
    if (end === at + 1) {
      const d = topic.charCodeAt(at);
      direction = d === 49 ? 1 : d === 50 ? 2 : null;
    }
    at = end + 1;
    end = topic.indexOf('/', at);
    if (end < 0) return reject('bad_topic', `journey levels cut short: "${excerpt(topic)}"`);
    if (end > at) headsign = topic.slice(at, end);
    at = end + 1;
    end = topic.indexOf('/', at);
    if (end < 0) return reject('bad_topic', `journey levels cut short: "${excerpt(topic)}"`);
    if (end > at) startTime = topic.slice(at, end);
    at = end + 1;
    end = topic.indexOf('/', at);
    if (end < 0) return reject('bad_topic', `journey levels cut short: "${excerpt(topic)}"`);
    if (end > at) nextStop = topic.slice(at, end);
    at = end + 1;
    end = topic.indexOf('/', at);
    if (end < 0) return reject('bad_topic', `journey levels cut short: "${excerpt(topic)}"`);
    if (end === at + 1) {
      const g = topic.charCodeAt(at) - 48;
      if (g >= 0 && g <= 9) geohashLevel = g;
    }
    // The 4 geohash levels (`60;24/19/74/39`), empty ones when there is no position (`0////`);
    // anything after them (a signal id on newer topics) is not ours to read.
    at = end + 1;
    let ghEnd = at;
    for (let k = 0; k < 4 && ghEnd < len; k++) {
      const slash = topic.indexOf('/', k === 0 ? ghEnd : ghEnd + 1);
      ghEnd = slash < 0 ? len : slash;
    }
    if (ghEnd > at && topic.charCodeAt(at) !== 47) geohash = topic.slice(at, ghEnd);
  }

  return {
    prefix,
    version: 'v2',
    journeyType,
    temporalType: upcoming ? 'upcoming' : 'ongoing',
    eventType,
    mode: transportMode(modeLevel),
    transportMode: modeLevel,
    operatorId,
    vehicleNumber,
    vehicleId,
    routeId,
    direction,
    headsign,
    startTime,
    nextStop,
    geohashLevel,
    geohash,
  };
}
