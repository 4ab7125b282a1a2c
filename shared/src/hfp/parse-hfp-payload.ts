import type { HfpEventType } from '../position.ts';
import { eventTypeFromPayloadKey } from './event-types.ts';
import type { HfpPayload, HfpTrafficLightPriority } from './hfp-payload.ts';
import { numberField, odometerField, operatingDayField, stringField, textField } from './json-field.ts';
import { excerpt, type HfpRejection, isRejection, reject } from './rejection.ts';

/** Larger than any real HFP payload (~600 bytes) by two orders of magnitude; bigger ones are not parsed. */
export const HFP_MAX_PAYLOAD_BYTES = 64 * 1024;

export type HfpPayloadResult =
  | { readonly ok: true; readonly eventType: HfpEventType; readonly payload: HfpPayload }
  | HfpRejection;

// Created on first use: TextDecoder is cheap, but nothing here should run at import time.
let decoder: InstanceType<typeof TextDecoder> | undefined;

/** The payload as text; bytes are decoded as UTF-8 (invalid sequences become U+FFFD, then fail JSON). */
export function payloadText(payload: string | Uint8Array): string {
  if (typeof payload === 'string') return payload;
  decoder ??= new TextDecoder('utf-8');
  return decoder.decode(payload);
}

/** A payload's event and its field object, not yet type-checked field by field. */
export interface HfpPayloadBody {
  readonly eventType: HfpEventType;
  /** The object under the event key, straight from JSON.parse. */
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * Parses `{ "<EVENT>": { ...fields } }` and type-checks every field. Exactly one key, one of the 18
 * upper-case event keys, whose value is an object. Never throws.
 */
export function parseHfpPayload(payload: string | Uint8Array): HfpPayloadResult {
  const r = scanHfpPayload(payload);
  if (isRejection(r)) return r;
  return { ok: true, eventType: r.eventType, payload: readHfpPayload(r.body, r.eventType) };
}

/** The shape checks of parseHfpPayload without reading the fields (parseHfp reads only what it needs). */
export function scanHfpPayload(payload: string | Uint8Array): HfpPayloadBody | HfpRejection {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array))
    return reject('bad_json', 'payload is neither text nor bytes');
  if (payload.length > HFP_MAX_PAYLOAD_BYTES)
    return reject('payload_too_large', `payload of ${payload.length} > ${HFP_MAX_PAYLOAD_BYTES}`);
  const text = payloadText(payload);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return reject('bad_json', e instanceof Error ? excerpt(e.message) : 'invalid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return reject('bad_payload', 'payload is not a JSON object');
  let key: string | undefined;
  for (const k in json) {
    if (key !== undefined) return reject('bad_payload', 'payload has more than one top-level key');
    key = k;
  }
  if (key === undefined) return reject('bad_payload', 'payload has no event key');
  const eventType = eventTypeFromPayloadKey(key);
  if (eventType === null) return reject('unknown_event', `unknown payload event key "${excerpt(key, 20)}"`);
  const body = (json as Record<string, unknown>)[key];
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return reject('bad_payload', `"${key}" is not an object`);
  return { eventType, body: body as Record<string, unknown> };
}

/** Type-checks every documented field of one payload body; unknown fields are left behind. */
export function readHfpPayload(b: Readonly<Record<string, unknown>>, eventType: HfpEventType): HfpPayload {
  return {
    desi: textField(b.desi),
    dir: textField(b.dir),
    oper: numberField(b.oper),
    veh: numberField(b.veh),
    tst: stringField(b.tst),
    tsi: numberField(b.tsi),
    spd: numberField(b.spd),
    hdg: numberField(b.hdg),
    lat: numberField(b.lat),
    long: numberField(b.long),
    acc: numberField(b.acc),
    dl: numberField(b.dl),
    odo: odometerField(b.odo),
    drst: numberField(b.drst),
    oday: operatingDayField(b.oday),
    jrn: numberField(b.jrn),
    line: numberField(b.line),
    start: stringField(b.start),
    loc: stringField(b.loc),
    stop: textField(b.stop),
    route: textField(b.route),
    occu: numberField(b.occu),
    seq: numberField(b.seq),
    ttarr: stringField(b.ttarr),
    ttdep: stringField(b.ttdep),
    drType: numberField(b['dr-type']),
    block: numberField(b.block),
    label: textField(b.label),
    tlp: eventType === 'tlr' || eventType === 'tla' ? readTrafficLightPriority(b) : null,
  };
}

function readTrafficLightPriority(b: Readonly<Record<string, unknown>>): HfpTrafficLightPriority {
  return {
    requestId: numberField(b['tlp-requestid']),
    requestType: stringField(b['tlp-requesttype']),
    priorityLevel: stringField(b['tlp-prioritylevel']),
    reason: stringField(b['tlp-reason']),
    attemptSeq: numberField(b['tlp-att-seq']),
    decision: stringField(b['tlp-decision']),
    sid: numberField(b.sid),
    signalGroupId: numberField(b['signal-groupid']),
    signalGroupNbr: numberField(b['tlp-signalgroupnbr']),
    lineConfigId: numberField(b['tlp-line-configid']),
    pointConfigId: numberField(b['tlp-point-configid']),
    frequency: numberField(b['tlp-frequency']),
    protocol: stringField(b['tlp-protocol']),
  };
}
