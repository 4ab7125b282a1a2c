import type { HfpEventType, JourneyType, TransportMode } from '../position.ts';
import type { HfpTemporalType } from './event-types.ts';

/**
 * One HFP v2 topic, level by level:
 * `/<prefix>/<version>/<journey_type>/<temporal_type>/<event_type>/<transport_mode>/<operator_id>/
 *  <vehicle_number>/<route_id>/<direction_id>/<headsign>/<start_time>/<next_stop>/<geohash_level>/<geohash>`.
 * Deadrun (and signoff) topics end after the vehicle number; the journey levels are then null.
 */
export interface HfpTopic {
  /** Levels before the version, without the leading slash: `hfp`. */
  readonly prefix: string;
  /** `v2`. */
  readonly version: string;
  readonly journeyType: JourneyType;
  readonly temporalType: HfpTemporalType;
  readonly eventType: HfpEventType;
  /** `unknown` when the level is empty or a mode this code does not know. */
  readonly mode: TransportMode;
  /** The transport mode level as sent (`bus`, `` for empty). */
  readonly transportMode: string;
  /** Zero-padded as sent: `0018`. */
  readonly operatorId: string;
  /** Zero-padded as sent: `00678`. */
  readonly vehicleNumber: string;
  /** `<operator>/<vehicle number>`, zero-padded as sent: `0018/00678`. */
  readonly vehicleId: string;
  readonly routeId: string | null;
  readonly direction: 1 | 2 | null;
  /** UTF-8, may contain spaces: `Itä-Pakila`, `Rautatientori via Kamppi`. */
  readonly headsign: string | null;
  /** Local `HH:mm` as sent. */
  readonly startTime: string | null;
  /** Stop id, `EOL` at the end of the line; null when the level is empty. */
  readonly nextStop: string | null;
  /** 0..5: how coarse a digit changed since the vehicle's previous message; null when empty. */
  readonly geohashLevel: number | null;
  /**
   * The 4 geohash levels as sent (`60;24/19/74/39`); null when empty (`0////`: no position).
   * `decodeHfpGeohash` turns it into [lat, lon] to 3 decimals (~100 m) when something needs that.
   */
  readonly geohash: string | null;
}
