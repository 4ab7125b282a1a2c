import type { PositionSource, VehiclePosition } from '../position.ts';
import type { HfpPayload } from './hfp-payload.ts';
import type { HfpTopic } from './hfp-topic.ts';
import { parseIsoMillis } from './iso-time.ts';
import { type HfpRejection, reject } from './rejection.ts';

export type HfpNormalizeResult = { readonly ok: true; readonly value: VehiclePosition } | HfpRejection;

/** Event times outside [2000-01-01, 2100-01-01) are a broken clock or a broken field, not an event. */
const MIN_EVENT_TIME = 946_684_800_000;
const MAX_EVENT_TIME = 4_102_444_800_000;

function source(loc: string | null): PositionSource | null {
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

/** 0 <= h < 360; HFP's 360 (and any full turn) folds to 0; negative or absurd values are unknown. */
function heading(hdg: number | null): number | null {
  if (hdg === null || hdg < 0 || hdg > 360) return null;
  return hdg === 360 ? 0 : hdg;
}

function eventTime(p: HfpPayload): number {
  if (p.tst !== null) {
    const t = parseIsoMillis(p.tst);
    if (t >= MIN_EVENT_TIME && t < MAX_EVENT_TIME) return t;
  }
  // tst is the precise one; tsi (whole seconds) only stands in when tst is missing or broken.
  if (p.tsi !== null) {
    const t = p.tsi * 1000;
    if (t >= MIN_EVENT_TIME && t < MAX_EVENT_TIME) return t;
  }
  return Number.NaN;
}

/**
 * Turns a parsed topic + payload into the position the rest of the system uses. The topic is the
 * authority for identity and journey (it is what subscribers filter on); the payload fills gaps.
 */
export function normalizeHfp(topic: HfpTopic, p: HfpPayload): HfpNormalizeResult {
  const lat = p.lat;
  const lon = p.long;
  if (lat === null || lon === null) return reject('no_position', 'lat/long missing or null');
  // 0,0 is what a unit without a fix sends; no HSL vehicle is in the Gulf of Guinea.
  if (lat === 0 && lon === 0) return reject('no_position', 'lat/long are 0,0');
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180)
    return reject('coordinates_out_of_range', `lat ${lat}, long ${lon} outside WGS84`);
  const time = eventTime(p);
  if (Number.isNaN(time))
    return reject('bad_timestamp', `no plausible tst/tsi (tst ${String(p.tst).slice(0, 40)})`);

  const dir = topic.direction ?? (p.dir === '1' ? 1 : p.dir === '2' ? 2 : null);
  const spd = p.spd;
  const occu = p.occu;
  return {
    ok: true,
    value: {
      vehicleId: `${topic.operatorId}/${topic.vehicleNumber}`,
      operatorId: topic.operatorId,
      vehicleNumber: topic.vehicleNumber,
      mode: topic.mode,
      eventType: topic.eventType,
      journeyType: topic.journeyType,
      // Deadrun topics carry no journey; the payload's leftovers from the last journey are not one.
      routeId: topic.journeyType === 'journey' ? (topic.routeId ?? p.route) : null,
      line: p.desi,
      direction: dir,
      headsign: topic.headsign,
      startTime: topic.startTime ?? p.start,
      operatingDay: p.oday,
      lat,
      lon,
      heading: heading(p.hdg),
      speed: spd !== null && spd >= 0 ? spd : null,
      acceleration: p.acc,
      // HFP's dl is "ahead of schedule" in seconds; the model's delay is "late" in seconds.
      delay: p.dl === null ? null : 0 - p.dl,
      odometer: p.odo,
      doorsOpen: p.drst === 1 ? true : p.drst === 0 ? false : null,
      occupancy: occu !== null && occu >= 0 && occu <= 100 ? occu : null,
      eventTime: time,
      source: source(p.loc),
      nextStop: topic.nextStop,
      stop: p.stop,
    },
  };
}
