import { HfpGeohashRangeError } from './errors.ts';

/**
 * HFP's own "geohash" (not Niemeyer's): the integer degrees `lat;lon`, then one level per decimal
 * digit pairing the latitude's and the longitude's digit: 60.173, 24.949 -> `60;24/19/74/39`.
 * Subscribers use it to filter by area with MQTT wildcards. A message without a position sends empty
 * levels (`0////`: level 0, four empty geohash levels).
 */

/** Number of decimal levels after the integer level. */
export const HFP_GEOHASH_DECIMALS = 3;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Decodes the topic geohash `text[from, to)` (`60;24/19/74/39`) to [lat, lon], or null when its first
 * level is empty or malformed. Decimal levels that are missing or malformed end the decoding (a
 * coarser position); whatever follows a malformed level is ignored.
 */
export function decodeHfpGeohash(
  text: string,
  from = 0,
  to = text.length,
): [lat: number, lon: number] | null {
  // Integer degrees: -?d{1,3};-?d{1,3}
  let i = from;
  const latNeg = text.charCodeAt(i) === 45;
  if (latNeg) i++;
  let latInt = 0;
  const latStart = i;
  while (i < to && isDigit(text.charCodeAt(i))) latInt = latInt * 10 + (text.charCodeAt(i++) - 48);
  if (i === latStart || i - latStart > 3 || text.charCodeAt(i) !== 59 /* ; */) return null;
  i++;
  const lonNeg = text.charCodeAt(i) === 45;
  if (lonNeg) i++;
  let lonInt = 0;
  const lonStart = i;
  while (i < to && isDigit(text.charCodeAt(i))) lonInt = lonInt * 10 + (text.charCodeAt(i++) - 48);
  if (i === lonStart || i - lonStart > 3 || (i < to && text.charCodeAt(i) !== 47)) return null;
  // Then up to three `/dd` levels: one decimal digit of lat and one of lon each.
  let latFrac = 0;
  let lonFrac = 0;
  let scale = 1;
  for (let k = 0; k < 3 && i + 3 <= to && text.charCodeAt(i) === 47; k++) {
    const a = text.charCodeAt(i + 1);
    const b = text.charCodeAt(i + 2);
    if (!isDigit(a) || !isDigit(b) || (i + 3 < to && text.charCodeAt(i + 3) !== 47)) break;
    scale /= 10;
    latFrac += (a - 48) * scale;
    lonFrac += (b - 48) * scale;
    i += 3;
  }
  // "-0" stays negative: the sign is kept apart from the integer part. Rounding removes the binary
  // noise of the decimal sums (60 + 0.1 + 0.07 + 0.003).
  return [
    (latNeg ? -1 : 1) * (Math.round((latInt + latFrac) * 1000) / 1000),
    (lonNeg ? -1 : 1) * (Math.round((lonInt + lonFrac) * 1000) / 1000),
  ];
}

/** The first `n` decimals of |value|, truncated as HSL does (60.1739, 3 -> "173"). */
function digits(value: number, n: number): string {
  const scale = 10 ** n;
  // The epsilon absorbs 60.173 being stored as 60.17299999.
  const frac = Math.floor(Math.abs(value) * scale + 1e-6) % scale;
  return String(frac).padStart(n, '0');
}

function integerPart(value: number): string {
  const t = Math.trunc(value);
  return value < 0 && t === 0 ? '-0' : String(t);
}

/**
 * The topic's geohash levels for a position: `encodeGeohashTopic(60.173698, 24.949412)` ->
 * `60;24/19/74/39`. Throws HfpGeohashRangeError for coordinates outside WGS84.
 */
export function encodeGeohashTopic(lat: number, lon: number): string {
  if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) throw new HfpGeohashRangeError(lat, lon);
  const a = digits(lat, HFP_GEOHASH_DECIMALS);
  const b = digits(lon, HFP_GEOHASH_DECIMALS);
  return `${integerPart(lat)};${integerPart(lon)}/${a[0]}${b[0]}/${a[1]}${b[1]}/${a[2]}${b[2]}`;
}

/** The geohash levels of a topic for a message without a position (after a geohash level of 0). */
export const HFP_GEOHASH_NONE = '///';

/** Decimal digits the geohash level looks at; a change only below them is level 5. */
const LEVEL_DECIMALS = 4;

/**
 * The topic's `geohash_level` for a move from `previous` to `current` ([lat, lon]): 0 when there is
 * no previous position or an integer degree changed, else the position (1..4) of the most significant
 * changed decimal digit of either coordinate, and 5 when only finer digits changed (or none did).
 * (Matches the levels seen in HSL's captures.)
 */
export function hfpGeohashLevel(
  previous: readonly [lat: number, lon: number] | null,
  current: readonly [lat: number, lon: number],
): number {
  if (previous === null) return 0;
  if (
    integerPart(previous[0]) !== integerPart(current[0]) ||
    integerPart(previous[1]) !== integerPart(current[1])
  )
    return 0;
  const pa = digits(previous[0], LEVEL_DECIMALS);
  const pb = digits(previous[1], LEVEL_DECIMALS);
  const ca = digits(current[0], LEVEL_DECIMALS);
  const cb = digits(current[1], LEVEL_DECIMALS);
  for (let i = 0; i < LEVEL_DECIMALS; i++) {
    if (pa[i] !== ca[i] || pb[i] !== cb[i]) return i + 1;
  }
  return LEVEL_DECIMALS + 1;
}

/**
 * `<geohash_level>/<geohash>`: the last levels of a journey topic for `current`, given the vehicle's
 * previous position (null for its first message). `null` current gives `0////` (no position).
 */
export function geohashTopicTail(
  current: readonly [lat: number, lon: number] | null,
  previous: readonly [lat: number, lon: number] | null = null,
): string {
  if (current === null) return `0/${HFP_GEOHASH_NONE}`;
  return `${hfpGeohashLevel(previous, current)}/${encodeGeohashTopic(current[0], current[1])}`;
}
