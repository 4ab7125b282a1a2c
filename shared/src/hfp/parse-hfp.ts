import type { HfpEventType, VehiclePosition } from '../position.ts';
import { HfpRejectedError } from './errors.ts';
import type { HfpTemporalType } from './event-types.ts';
import type { HfpMessage } from './hfp-payload.ts';
import type { HfpTopic } from './hfp-topic.ts';
import { toVehiclePosition } from './normalize-hfp.ts';
import { readHfpPayload, scanHfpPayload } from './parse-hfp-payload.ts';
import { scanHfpTopic } from './parse-hfp-topic.ts';
import { type HfpRejection, isRejection, reject } from './rejection.ts';

/**
 * parseHfp's answer. On success `message` is a lazily built getter: read it from the result
 * (`r.message`); spreading the result (`{ ...r }`) does not carry it over.
 */
export type HfpResult =
  | {
      readonly ok: true;
      readonly value: VehiclePosition;
      readonly message: HfpMessage;
      /** `upcoming` when the message announces a journey the vehicle has not started yet. */
      readonly temporalType: HfpTemporalType;
    }
  | HfpRejection;

/**
 * A successful parse. `message` (the fully type-checked topic + payload) is built on first access:
 * the feed's hot path only needs `value`, and reading ~30 payload fields it never uses would cost a
 * fifth of the parse.
 */
class ParsedHfp {
  readonly ok = true as const;
  #message: HfpMessage | undefined;
  constructor(
    readonly value: VehiclePosition,
    private readonly topic: HfpTopic,
    private readonly eventType: HfpEventType,
    private readonly body: Readonly<Record<string, unknown>>,
  ) {}

  get temporalType(): HfpTemporalType {
    return this.topic.temporalType;
  }

  get message(): HfpMessage {
    this.#message ??= {
      topic: this.topic,
      eventType: this.eventType,
      payload: readHfpPayload(this.body, this.eventType),
    };
    return this.#message;
  }
}

/**
 * One HFP MQTT message -> a normalized position, or a rejection with a stable reason. Pure; never
 * throws, whatever the input.
 */
export function parseHfp(topic: string, payload: string | Uint8Array): HfpResult {
  try {
    const t = scanHfpTopic(topic);
    if (isRejection(t)) return t;
    const p = scanHfpPayload(payload);
    if (isRejection(p)) return p;
    if (p.eventType !== t.eventType)
      return reject(
        'event_mismatch',
        `topic event ${t.eventType} but payload key ${p.eventType.toUpperCase()}`,
      );
    const v = toVehiclePosition(t, p.body);
    if (isRejection(v)) return v;
    return new ParsedHfp(v, t, p.eventType, p.body);
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
