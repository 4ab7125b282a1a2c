/**
 * The WebSocket wire protocol between the gateway (server/src/gateway) and the web app, defined once.
 * Every message is a discriminated union on `type`. Encoding lives in ./codec.ts.
 */
import type { FeedMode, GeofenceEvent, VehicleState } from '../api.ts';
import type { TransportMode } from '../position.ts';

/** Bumped on any incompatible change; the server says its version in `hello`. */
export const PROTOCOL_VERSION = 1;

/** West, south, east, north in WGS84 degrees. */
export type BBox = readonly [west: number, south: number, east: number, north: number];

// ---- client -> server ----

/** What the client can see. The server answers with a `snapshot` of everything selected. */
export interface ViewportMessage {
  readonly type: 'viewport';
  readonly bbox: BBox;
  readonly zoom: number;
}

/** Narrow what is sent. Empty or absent lists mean "all". Answered with a new `snapshot`. */
export interface FilterMessage {
  readonly type: 'filter';
  readonly modes?: readonly TransportMode[];
  readonly routes?: readonly string[];
}

/** This vehicle is always sent, even off-screen or filtered out. null stops following. */
export interface FollowMessage {
  readonly type: 'follow';
  readonly vehicleId: string | null;
}

export interface PingMessage {
  readonly type: 'ping';
  /** Client clock, echoed in `pong`. */
  readonly t: number;
}

export type ClientMessage = ViewportMessage | FilterMessage | FollowMessage | PingMessage;

// ---- server -> client ----

export interface HelloMessage {
  readonly type: 'hello';
  readonly protocol: number;
  readonly serverTime: number;
  readonly feedMode: FeedMode;
  /** The gateway's batching interval. */
  readonly tickMs: number;
  /**
   * Size of the gateway's grid cells, [lon, lat] degrees. Batches and snapshots carry every vehicle in
   * the cells the viewport touches, so up to one cell beyond the viewport's edge.
   */
  readonly cellDeg?: readonly [lon: number, lat: number];
}

/** Everything the client's viewport + filter (+ followed vehicle) selects, replacing what it had. */
export interface SnapshotMessage {
  readonly type: 'snapshot';
  readonly serverTime: number;
  readonly vehicles: readonly VehicleState[];
}

/** One per tick: changed vehicles in view, and ids that left the view or were removed. */
export interface BatchMessage {
  readonly type: 'batch';
  readonly serverTime: number;
  readonly updates: readonly VehicleState[];
  readonly removed: readonly string[];
}

export interface GeofenceMessage {
  readonly type: 'geofence';
  readonly event: GeofenceEvent;
}

export interface StatusMessage {
  readonly type: 'status';
  readonly feedMode: FeedMode;
  readonly vehicles: number;
  readonly messagesPerSecond: number;
  readonly clients: number;
}

export interface PongMessage {
  readonly type: 'pong';
  readonly t: number;
  readonly serverTime: number;
}

export interface ErrorMessage {
  readonly type: 'error';
  readonly code: string;
  readonly message: string;
}

export type ServerMessage =
  | HelloMessage
  | SnapshotMessage
  | BatchMessage
  | GeofenceMessage
  | StatusMessage
  | PongMessage
  | ErrorMessage;
