import type { PositionSource, VehiclePosition } from '../position.ts';
import type { HfpPayload } from './hfp-payload.ts';
import type { HfpTopic } from './hfp-topic.ts';
import { parseIsoMillis } from './iso-time.ts';
import { numberField, odometerField, operatingDayField, stringField, textField } from './json-field.ts';
import { type HfpRejection, isRejection, reject } from './rejection.ts';

export type HfpNormalizeResult = { readonly ok: true; readonly value: VehiclePosition } | HfpRejection;

/** Event times outside [2000-01-01, 2100-01-01) are a broken clock or a broken field, not an event. */
const MIN_EVENT_TIME = 946_684_800_000;
const MAX_EVENT_TIME = 4_102_444_800_000;

function source(loc: unknown): PositionSource | null {
  switch (loc) {
    case 'GPS':
    case 'ODO':
    case 'MAN':
    case 'DR':
    case 'N/A':
      return loc;
    default:
      return null;
  }
}

/** 0 <= h < 360; HFP's 360 folds to 0; negative or absurd values are unknown. */
function heading(v: unknown): number | null {
  const hdg = numberField(v);
  if (hdg === null || hdg < 0 || hdg > 360) return null;
  return hdg === 360 ? 0 : hdg;
}

function eventTime(tst: unknown, tsi: unknown): number {
  if (typeof tst === 'string') {
    const t = parseIsoMillis(tst);
    if (t >= MIN_EVENT_TIME && t < MAX_EVENT_TIME) return t;
  }
  // tst is the precise one; tsi (whole seconds) only stands in when tst is missing or broken.
  const s = numberField(tsi);
  if (s !== null) {
    const t = s * 1000;
    if (t >= MIN_EVENT_TIME && t < MAX_EVENT_TIME) return t;
  }
  return Number.NaN;
}

/**
 * Turns a parsed topic + payload fields into the position the rest of the system uses. The topic is
 * the authority for identity and journey (it is what subscribers filter on); the payload fills gaps.
 * `fields` is either a checked HfpPayload or the raw object under the event key (parseHfp's hot
 * path): every field read here is type-checked again, so both give the same position.
 */
export function normalizeHfp(
  topic: HfpTopic,
  fields: HfpPayload | Readonly<Record<string, unknown>>,
): HfpNormalizeResult {
  const r = toVehiclePosition(topic, fields);
  return isRejection(r) ? r : { ok: true, value: r };
}

/** normalizeHfp without the result wrapper, for parseHfp's hot path. */
export function toVehiclePosition(
  topic: HfpTopic,
  fields: HfpPayload | Readonly<Record<string, unknown>>,
): VehiclePosition | HfpRejection {
  const b = fields as Readonly<Record<string, unknown>>;
  const lat = b.lat;
  const lon = b.long;
  if (typeof lat !== 'number' || typeof lon !== 'number' || Number.isNaN(lat) || Number.isNaN(lon))
    return reject('no_position', 'lat/long missing, null or not numbers');
  // 0,0 is what a unit without a fix sends; no HSL vehicle is in the Gulf of Guinea.
  if (lat === 0 && lon === 0) return reject('no_position', 'lat/long are 0,0');
  if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180))
    return reject('coordinates_out_of_range', `lat ${lat}, long ${lon} outside WGS84`);
  const time = eventTime(b.tst, b.tsi);
  if (Number.isNaN(time))
    return reject('bad_timestamp', `no plausible tst/tsi (tst ${String(b.tst).slice(0, 40)})`);

  let direction = topic.direction;
  if (direction === null) {
    const dir = textField(b.dir);
    direction = dir === '1' ? 1 : dir === '2' ? 2 : null;
  }
  const spd = numberField(b.spd);
  const occu = numberField(b.occu);
  const dl = numberField(b.dl);
  const drst = b.drst;
  return {
    vehicleId: topic.vehicleId,
    operatorId: topic.operatorId,
    vehicleNumber: topic.vehicleNumber,
    mode: topic.mode,
    eventType: topic.eventType,
    journeyType: topic.journeyType,
    // Deadrun topics carry no journey; the payload's leftovers from the last journey are not one.
    routeId: topic.journeyType === 'journey' ? (topic.routeId ?? textField(b.route)) : null,
    line: textField(b.desi),
    direction,
    headsign: topic.headsign,
    startTime: topic.startTime ?? stringField(b.start),
    operatingDay: operatingDayField(b.oday),
    lat,
    lon,
    heading: heading(b.hdg),
    speed: spd !== null && spd >= 0 ? spd : null,
    acceleration: numberField(b.acc),
    // HFP's dl is "ahead of schedule" in seconds; the model's delay is "late" in seconds.
    delay: dl === null ? null : 0 - dl,
    odometer: odometerField(b.odo),
    doorsOpen: drst === 1 ? true : drst === 0 ? false : null,
    occupancy: occu !== null && occu >= 0 && occu <= 100 ? occu : null,
    eventTime: time,
    source: source(b.loc),
    nextStop: topic.nextStop,
    stop: textField(b.stop),
  };
}
