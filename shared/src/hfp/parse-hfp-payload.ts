import type { HfpEventType } from '../position.ts';
import { eventTypeFromPayloadKey } from './event-types.ts';
import type { HfpPayload, HfpTrafficLightPriority } from './hfp-payload.ts';
import { numberField, numericField, stringField, textField } from './json-field.ts';
import { excerpt, type HfpRejection, reject } from './rejection.ts';

/** Larger than any real HFP payload (~600 bytes) by two orders of magnitude; bigger ones are not parsed. */
export const HFP_MAX_PAYLOAD_BYTES = 64 * 1024;

/** HFP's odometer sentinel for "no value" (int32 max). */
const ODO_SENTINEL = 2147483647;

export type HfpPayloadResult =
  | { readonly ok: true; readonly eventType: HfpEventType; readonly payload: HfpPayload }
  | HfpRejection;

// Created on first use: TextDecoder is cheap, but nothing here should run at import time.
let decoder: TextDecoder | undefined;

/** The payload as text; bytes are decoded as UTF-8 (invalid sequences become U+FFFD, then fail JSON). */
export function payloadText(payload: string | Uint8Array): string {
  if (typeof payload === 'string') return payload;
  decoder ??= new TextDecoder('utf-8');
  return decoder.decode(payload);
}

/**
 * Parses `{ "<EVENT>": { ...fields } }`: exactly one key, one of the 18 upper-case event keys, whose
 * value is an object. Never throws.
 */
export function parseHfpPayload(payload: string | Uint8Array): HfpPayloadResult {
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
  return { ok: true, eventType, payload: readHfpPayload(body as Record<string, unknown>, eventType) };
}

function odometer(v: unknown): number | null {
  const n = numericField(v);
  return n === null || n === ODO_SENTINEL || n < 0 ? null : n;
}

/** `YYYY-MM-DD`; anything else (HFP's `XXX` included) is null. */
function operatingDay(v: unknown): string | null {
  if (typeof v !== 'string' || v.length !== 10 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45)
    return null;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return v;
}

/** Type-checks every documented field of one payload body; unknown fields are left behind. */
export function readHfpPayload(b: Record<string, unknown>, eventType: HfpEventType): HfpPayload {
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
    odo: odometer(b.odo),
    drst: numberField(b.drst),
    oday: operatingDay(b.oday),
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

function readTrafficLightPriority(b: Record<string, unknown>): HfpTrafficLightPriority {
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
