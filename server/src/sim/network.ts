/**
 * The network the simulator drives on: routes with one path and stop list per direction. Plain data,
 * so the built-in Helsinki network, a GTFS feed or a test fixture all produce the same shape.
 */
import type { LonLat } from '@realtimemap/shared';

export interface NetworkStop {
  /** HSL-style numeric stop id as a string (`1020201`). */
  readonly id: string;
  readonly name: string;
  readonly lon: number;
  readonly lat: number;
}

export interface RouteDirection {
  /** HFP direction: 1 or 2. */
  readonly direction: 1 | 2;
  readonly headsign: string;
  /** Geometry, first stop to last, lon/lat. */
  readonly path: readonly LonLat[];
  /** Stops in order, first = origin terminus, last = destination terminus. */
  readonly stopIds: readonly string[];
  /** Scheduled run time first stop -> last, seconds (GTFS: from stop_times; built-in: estimated). */
  readonly runSeconds?: number;
}

export type NetworkMode = 'bus' | 'tram';

export interface NetworkRoute {
  /** HSL route id (`1064`, `1006T`). */
  readonly routeId: string;
  /** Designation shown to passengers (`64`, `6T`). */
  readonly line: string;
  readonly mode: NetworkMode;
  /** HFP payload `line`: the operator's internal line number. */
  readonly lineNumber: number;
  /** Operators running it, HFP topic form (`0022`). */
  readonly operators: readonly string[];
  /** Relative share of the fleet (peak frequency); default 1. */
  readonly weight?: number;
  readonly directions: readonly RouteDirection[];
}

export interface Network {
  readonly name: string;
  /**
   * Modes the network has every line of (the built-in one: trams). When the fleet is larger than the
   * timetable needs, these run at their own headways and the surplus goes to the other modes' lines.
   */
  readonly completeModes?: readonly NetworkMode[];
  readonly stops: ReadonlyMap<string, NetworkStop>;
  readonly routes: readonly NetworkRoute[];
}
