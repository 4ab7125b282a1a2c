import type { HfpEventType } from '../position.ts';
import type { HfpTopic } from './hfp-topic.ts';

/**
 * The fields of an HFP v2 payload (the object under the single upper-case event key), each checked
 * for its type: a field that is missing, null or of the wrong type is null here. Units as HSL
 * documents them. Unknown extra fields are dropped.
 */
export interface HfpPayload {
  /** Line designation shown to passengers (`65`, `6T`). */
  readonly desi: string | null;
  /** Direction `1` or `2` (sent as a string). */
  readonly dir: string | null;
  /** Operator running the vehicle (may differ from the topic's owner operator). */
  readonly oper: number | null;
  /** Vehicle number (no padding). */
  readonly veh: number | null;
  /** Event time, ISO-8601 UTC with milliseconds. */
  readonly tst: string | null;
  /** Event time, Unix seconds. */
  readonly tsi: number | null;
  /** Speed, m/s. */
  readonly spd: number | null;
  /** Heading, degrees clockwise from north, 0..360. */
  readonly hdg: number | null;
  /** WGS84 latitude, degrees. */
  readonly lat: number | null;
  /** WGS84 longitude, degrees (`long` in the JSON). */
  readonly long: number | null;
  /** Acceleration, m/s² (negative = braking). */
  readonly acc: number | null;
  /** Offset from schedule, seconds: positive = ahead of schedule (early), negative = late. */
  readonly dl: number | null;
  /** Odometer, metres; null when non-numeric or the 2147483647 sentinel. */
  readonly odo: number | null;
  /** Door status: 0 all closed, 1 at least one open. */
  readonly drst: number | null;
  /** Operating day `YYYY-MM-DD`; null for `XXX` or anything else. */
  readonly oday: string | null;
  /** Journey number (internal). */
  readonly jrn: number | null;
  /** Line number (internal, not the designation). */
  readonly line: number | null;
  /** Journey start time, local `HH:mm`. */
  readonly start: string | null;
  /** Position source: GPS, ODO, MAN, DR or N/A. */
  readonly loc: string | null;
  /** Stop id the event refers to; sent as number or string, kept as a string. */
  readonly stop: string | null;
  /** Route id (`1065`). */
  readonly route: string | null;
  /** Passenger occupancy, 0..100 (0 = seats free, 100 = full). */
  readonly occu: number | null;
  /** Sequence number of a multi-unit train/metro. */
  readonly seq: number | null;
  /** Scheduled arrival / departure at `stop`, ISO-8601 (stop events). */
  readonly ttarr: string | null;
  readonly ttdep: string | null;
  /** Deadrun type (`dr-type`): 0 before, 1 after a journey (VJA/VJOUT/BA/BOUT). */
  readonly drType: number | null;
  /** Block id (`block`) the vehicle runs. */
  readonly block: number | null;
  /** Driver / vehicle label (DA, DOUT, BA, BOUT). */
  readonly label: string | null;
  /** Traffic-light priority fields; null except on TLR and TLA events (the only ones that send them). */
  readonly tlp: HfpTrafficLightPriority | null;
}

/** The `tlp-*`, `sid` and `signal-groupid` fields of TLR (request) and TLA (acknowledgement) events. */
export interface HfpTrafficLightPriority {
  readonly requestId: number | null;
  /** `NORMAL`, `DOOR_CLOSE`, `DOOR_OPEN`, `ADVANCE`. */
  readonly requestType: string | null;
  readonly priorityLevel: string | null;
  readonly reason: string | null;
  readonly attemptSeq: number | null;
  /** TLA: `ACK` or `NAK`. */
  readonly decision: string | null;
  /** Junction id. */
  readonly sid: number | null;
  readonly signalGroupId: number | null;
  readonly signalGroupNbr: number | null;
  readonly lineConfigId: number | null;
  readonly pointConfigId: number | null;
  readonly frequency: number | null;
  readonly protocol: string | null;
}

/** One whole HFP message, parsed and type-checked. */
export interface HfpMessage {
  readonly topic: HfpTopic;
  /** The payload's event key, lower-cased; equal to `topic.eventType`. */
  readonly eventType: HfpEventType;
  readonly payload: HfpPayload;
}
