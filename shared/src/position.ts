/**
 * The normalized vehicle position: what the rest of the system (state, gateway, web) uses.
 * Produced from one HFP message by the parser + normalizer in ./hfp. Units are SI unless named.
 */

/** Transport mode from the HFP topic; `unknown` when the topic level is empty. */
export type TransportMode = 'bus' | 'tram' | 'train' | 'ferry' | 'metro' | 'ubus' | 'robot' | 'unknown';

export const TRANSPORT_MODES: readonly TransportMode[] = [
  'bus',
  'tram',
  'train',
  'ferry',
  'metro',
  'ubus',
  'robot',
  'unknown',
];

/** HFP journey type: in service, running empty between journeys, or signing off. */
export type JourneyType = 'journey' | 'deadrun' | 'signoff';

/** The 18 HFP v2 event types, lower-case as in the topic. */
export type HfpEventType =
  | 'vp'
  | 'due'
  | 'arr'
  | 'dep'
  | 'ars'
  | 'pde'
  | 'pas'
  | 'wait'
  | 'doo'
  | 'doc'
  | 'tlr'
  | 'tla'
  | 'da'
  | 'dout'
  | 'ba'
  | 'bout'
  | 'vja'
  | 'vjout';

/** Where the coordinates came from (HFP `loc`). */
export type PositionSource = 'GPS' | 'ODO' | 'MAN' | 'DR' | 'N/A';

export interface VehiclePosition {
  /** `<operator>/<vehicle number>` from the topic, zero-padded as sent: `0022/01216`. */
  readonly vehicleId: string;
  /** Operator id from the topic, zero-padded (`0022`). */
  readonly operatorId: string;
  /** Vehicle number from the topic, zero-padded (`01216`). */
  readonly vehicleNumber: string;
  readonly mode: TransportMode;
  readonly eventType: HfpEventType;
  readonly journeyType: JourneyType;
  /** Route id as HSL's systems know it (`1064`, `2550`); null on deadrun/signoff. */
  readonly routeId: string | null;
  /** Line designation shown to passengers (`64`, `550`, `6T`); null when not sent. */
  readonly line: string | null;
  /** 1 or 2; null when not sent. */
  readonly direction: 1 | 2 | null;
  readonly headsign: string | null;
  /** Journey start time, local `HH:mm` as in the topic. */
  readonly startTime: string | null;
  /** Operating day `YYYY-MM-DD`; null when missing or `XXX`. */
  readonly operatingDay: string | null;
  /** WGS84 degrees. Always present and in range: positions without them are rejected. */
  readonly lat: number;
  readonly lon: number;
  /** Degrees clockwise from north, 0 <= h < 360 (HFP's 360 is folded to 0); null when unknown. */
  readonly heading: number | null;
  /** m/s. */
  readonly speed: number | null;
  /** m/s². */
  readonly acceleration: number | null;
  /** Seconds behind schedule: positive = late, negative = early. (HFP `dl` has the opposite sign.) */
  readonly delay: number | null;
  /** Metres; null when missing, non-numeric or the 2147483647 sentinel. */
  readonly odometer: number | null;
  /** true = a door is open, false = all closed, null = unknown. */
  readonly doorsOpen: boolean | null;
  /** Passenger occupancy 0..100 (HFP `occu`); null when not sent. */
  readonly occupancy: number | null;
  /** Event time (HFP `tst`) in ms since the epoch. */
  readonly eventTime: number;
  readonly source: PositionSource | null;
  /** Next stop from the topic: a stop id, `EOL` at the end of the line, null when empty. */
  readonly nextStop: string | null;
  /** Stop the event refers to (payload `stop`), as a string; null when absent. */
  readonly stop: string | null;
  /**
   * Set by the feed when an older event time than the vehicle's latest arrives: state puts it in the
   * trail but does not move the vehicle back.
   */
  readonly outOfOrder?: boolean;
}
