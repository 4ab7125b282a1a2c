import type { VehiclePosition } from '../position.ts';
import { HfpRejectedError } from './errors.ts';
import type { HfpMessage } from './hfp-payload.ts';
import { normalizeHfp } from './normalize-hfp.ts';
import { parseHfpPayload } from './parse-hfp-payload.ts';
import { parseHfpTopic } from './parse-hfp-topic.ts';
import { type HfpRejection, reject } from './rejection.ts';

export type HfpResult =
  | { readonly ok: true; readonly value: VehiclePosition; readonly message: HfpMessage }
  | HfpRejection;

/**
 * One HFP MQTT message -> a normalized position, or a rejection with a stable reason. Pure; never
 * throws, whatever the input.
 */
export function parseHfp(topic: string, payload: string | Uint8Array): HfpResult {
  try {
    const t = parseHfpTopic(topic);
    if (!t.ok) return t;
    const p = parseHfpPayload(payload);
    if (!p.ok) return p;
    if (p.eventType !== t.value.eventType)
      return reject(
        'event_mismatch',
        `topic event ${t.value.eventType} but payload key ${p.eventType.toUpperCase()}`,
      );
    const n = normalizeHfp(t.value, p.payload);
    if (!n.ok) return n;
    return {
      ok: true,
      value: n.value,
      message: { topic: t.value, eventType: p.eventType, payload: p.payload },
    };
  } catch (e) {
    // Unreachable by design (the fuzz test holds it to that); kept so a bug costs one message, not the feed.
    return reject('internal_error', e instanceof Error ? e.message : String(e));
  }
}

/** parseHfp for callers that want an exception: throws HfpRejectedError carrying the reason. */
export function parseHfpOrThrow(topic: string, payload: string | Uint8Array): VehiclePosition {
  const r = parseHfp(topic, payload);
  if (!r.ok) throw new HfpRejectedError(r.reason, r.detail);
  return r.value;
}
