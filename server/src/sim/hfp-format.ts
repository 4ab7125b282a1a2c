/**
 * Writes HFP v2 messages the way HSL's feed does: topic levels, and the payload as one-line JSON with
 * the real field order and number formats (speed and acceleration with two decimals, coordinates with
 * six, integer heading and odometer). Built by hand: JSON.stringify would drop the trailing zeros.
 */
import { encodeGeohashTopic } from '@realtimemap/shared';
import type { NetworkMode } from './network.ts';

export type SimEvent =
  | 'VP'
  | 'DUE'
  | 'ARR'
  | 'ARS'
  | 'DOO'
  | 'DOC'
  | 'PDE'
  | 'DEP'
  | 'PAS'
  | 'WAIT'
  | 'TLR'
  | 'TLA'
  | 'VJA'
  | 'VJOUT'
  | 'DA'
  | 'DOUT'
  | 'BA'
  | 'BOUT';

/**
 * Traffic-light priority: a TLR (request to junction `sid`) and the TLA answering it. Field names and
 * order as the live feed sends them (HSL's HFP documentation; TLR carries the request, TLA only the
 * request id and the decision). The topic gets the junction id as one more level after the geohash.
 */
export type TrafficLightPriority =
  | {
      readonly kind: 'request';
      readonly sid: number;
      readonly signalGroupId: number;
      readonly signalGroupNbr: number;
      readonly requestId: number;
      readonly requestType: 'NORMAL' | 'DOOR_CLOSE';
      readonly priorityLevel: 'normal' | 'high';
      readonly attemptSeq: number;
    }
  | {
      readonly kind: 'answer';
      readonly sid: number;
      readonly requestId: number;
      readonly decision: 'ACK' | 'NAK';
    };

/** The journey a message belongs to; null = the vehicle is running dead (deadrun topic). */
export interface JourneyFields {
  readonly routeId: string;
  readonly desi: string;
  readonly direction: 1 | 2;
  readonly headsign: string;
  /** Local `HH:mm`. */
  readonly start: string;
  /** Local `YYYY-MM-DD`. */
  readonly oday: string;
  readonly jrn: number;
  readonly lineNumber: number;
  /** Topic level: next stop id, or `EOL`. */
  readonly nextStop: string;
  readonly temporal: 'ongoing' | 'upcoming';
}

export interface VehicleFields {
  readonly mode: NetworkMode;
  /** Topic form, zero-padded: `0018`, `00679`. */
  readonly operatorId: string;
  readonly vehicleNumber: string;
  readonly oper: number;
  readonly veh: number;
}

export interface MessageFields {
  readonly event: SimEvent;
  /** Event time, ms since the epoch (skew already applied). */
  readonly time: number;
  /** Null when the unit has no fix: the payload says `null` and the topic's geohash is `0////`. */
  readonly lat: number | null;
  readonly lon: number | null;
  readonly speed: number;
  readonly heading: number;
  readonly acc: number;
  /** HFP `dl`: seconds ahead of schedule (HFP's sign); null when unknown. */
  readonly dl: number | null;
  readonly odo: number | null;
  readonly doorsOpen: boolean;
  readonly loc: 'GPS' | 'ODO' | 'N/A';
  /** Payload `stop`: the stop the event is about, or the stop the vehicle stands at; null otherwise. */
  readonly stop: string | null;
  /** Route id kept in deadrun payloads (the feed repeats the last journey's). */
  readonly lastRoute: string | null;
  readonly occu: number;
  /** Scheduled time at `stop` (stop events), ms. */
  readonly scheduled?: number;
  /** VJA / VJOUT: `dr-type` and `block`. */
  readonly block?: number;
  /** Topic `geohash_level`. */
  readonly geohashLevel: number;
  /** TLR / TLA only. */
  readonly tlp?: TrafficLightPriority;
  /** BA / BOUT only: the local operating day (no journey fields carry it). */
  readonly oday?: string;
}

/** The priority radio's frequency as the live TLR messages report it. */
const TLP_FREQUENCY = 461200;

function minuteIso(ms: number): string {
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString();
}

function num(v: number | null, digits: number): string {
  return v === null ? 'null' : v.toFixed(digits);
}

/** HSL sends numeric stop ids as numbers; a GTFS feed's other ids go as strings. */
function stopField(stop: string | null): string {
  if (stop === null) return 'null';
  return /^\d{1,15}$/.test(stop) ? stop : JSON.stringify(stop);
}

function str(v: string | null): string {
  return v === null ? 'null' : JSON.stringify(v);
}

export function formatTopic(v: VehicleFields, j: JourneyFields | null, m: MessageFields): string {
  const event = m.event.toLowerCase();
  if (j === null) return `/hfp/v2/deadrun/ongoing/${event}/${v.mode}/${v.operatorId}/${v.vehicleNumber}`;
  // No fix: HSL's documentation gives geohash level and geohash together as `0////`.
  const where =
    m.lat === null || m.lon === null ? '0////' : `${m.geohashLevel}/${encodeGeohashTopic(m.lat, m.lon)}`;
  return (
    `/hfp/v2/journey/${j.temporal}/${event}/${v.mode}/${v.operatorId}/${v.vehicleNumber}/${j.routeId}/` +
    `${j.direction}/${j.headsign}/${j.start}/${j.nextStop}/${where}` +
    (m.tlp ? `/${m.tlp.sid}` : '')
  );
}

/** The payload's journey fields change once per journey: formatted once and reused (hot path). */
const parts = new WeakMap<JourneyFields, { head: string; mid: string }>();

function journeyParts(v: VehicleFields, j: JourneyFields): { head: string; mid: string } {
  let p = parts.get(j);
  if (!p) {
    p = {
      head: `{"desi":${str(j.desi)},"dir":"${j.direction}","oper":${v.oper},"veh":${v.veh},"tst":"`,
      mid: `"oday":${str(j.oday)},"jrn":${j.jrn},"line":${j.lineNumber},"start":${str(j.start)},"loc":"`,
    };
    parts.set(j, p);
  }
  return p;
}

/** A driver's sign-in or sign-out (DA, DOUT) or a block's (BA, BOUT): a body of its own, the block's odometer. */
export function isSignInOut(event: SimEvent): boolean {
  return event === 'DA' || event === 'DOUT' || isBlockSignInOut(event);
}

/** BA / BOUT: the driver takes or leaves a block (these carry `oday` and `block`). */
export function isBlockSignInOut(event: SimEvent): boolean {
  return event === 'BA' || event === 'BOUT';
}

export function formatPayload(v: VehicleFields, j: JourneyFields | null, m: MessageFields): string {
  if (isSignInOut(m.event)) return formatSignInOut(v, m);
  const tst = new Date(m.time).toISOString();
  const tsi = Math.floor(m.time / 1000);
  const p = j
    ? journeyParts(v, j)
    : {
        head: `{"desi":null,"dir":null,"oper":null,"veh":${v.veh},"tst":"`,
        mid: `"oday":null,"jrn":null,"line":null,"start":null,"loc":"`,
      };
  let body =
    `${p.head}${tst}","tsi":${tsi},"spd":${m.speed.toFixed(2)},"hdg":${Math.round(m.heading) % 360},` +
    `"lat":${num(m.lat, 6)},"long":${num(m.lon, 6)},"acc":${m.acc.toFixed(2)},"dl":${num(m.dl, 0)},` +
    `"odo":${num(m.odo, 0)},"drst":${m.doorsOpen ? 1 : 0},${p.mid}${m.loc}",` +
    `"stop":${stopField(m.stop)},"route":${str(j?.routeId ?? m.lastRoute)},"occu":${m.occu}`;
  if (m.scheduled !== undefined) {
    const t = minuteIso(m.scheduled);
    body += `,"ttarr":"${t}","ttdep":"${t}"`;
  }
  if (m.block !== undefined) body += `,"dr-type":1,"block":${m.block}`;
  const tlp = m.tlp;
  if (tlp?.kind === 'request')
    body +=
      `,"sid":${tlp.sid},"signal-groupid":${tlp.signalGroupId},"tlp-signalgroupnbr":${tlp.signalGroupNbr},` +
      `"tlp-requestid":${tlp.requestId},"tlp-requesttype":"${tlp.requestType}","tlp-prioritylevel":"${tlp.priorityLevel}",` +
      `"tlp-line-configid":null,"tlp-point-configid":null,"tlp-frequency":${TLP_FREQUENCY},` +
      `"tlp-protocol":"KAR-MQTT","tlp-att-seq":${tlp.attemptSeq}`;
  else if (tlp?.kind === 'answer')
    body += `,"tlp-requestid":${tlp.requestId},"tlp-decision":"${tlp.decision}"`;
  return `{"${m.event}":${body}}}`;
}

/**
 * The sign-in and sign-out events: DA / DOUT (a driver signs in to or out of the vehicle), BA / BOUT
 * (the driver takes or leaves a block). A short body of their own, as the live feed's BOUT: no journey
 * fields, integer `acc`, the block's odometer and `dr-type`. HSL's HFP documentation lists `oday` for
 * BA / BOUT but not for DA / DOUT; `block` is in the captured BOUT and goes with BA alike (an
 * assumption: no DA, DOUT or BA capture to check against).
 */
function formatSignInOut(v: VehicleFields, m: MessageFields): string {
  const block = isBlockSignInOut(m.event);
  return (
    `{"${m.event}":{"oper":${v.oper},"veh":${v.veh},"tst":"${new Date(m.time).toISOString()}","tsi":${Math.floor(m.time / 1000)},` +
    `"spd":${m.speed.toFixed(2)},"hdg":${Math.round(m.heading) % 360},"lat":${num(m.lat, 6)},"long":${num(m.lon, 6)},` +
    `"acc":0,"odo":${num(m.odo, 0)},"drst":${m.doorsOpen ? 1 : 0},${block ? `"oday":${str(m.oday ?? null)},` : ''}"loc":"${m.loc}",` +
    `"dr-type":1${block ? `,"block":${m.block ?? 0}` : ''}}}`
  );
}
