/** REST response shapes shared by the server's http/ routes and the web app. */
import type { TransportMode, VehiclePosition } from './position.ts';

/** A vehicle as the REST API and the gateway show it. */
export interface VehicleState extends VehiclePosition {
  /** Silent for longer than the stale threshold (default 60 s). */
  readonly stale: boolean;
  /** When the server last heard of this vehicle (ms since the epoch). */
  readonly lastSeen: number;
}

export interface TrailPoint {
  /** Event time, ms since the epoch. */
  readonly t: number;
  readonly lat: number;
  readonly lon: number;
  readonly heading: number | null;
  readonly speed: number | null;
}

export interface Trail {
  readonly vehicleId: string;
  readonly points: readonly TrailPoint[];
}

export interface RouteSummary {
  readonly routeId: string;
  readonly line: string | null;
  readonly mode: TransportMode;
  readonly vehicles: number;
}

export interface Organization {
  /** Operator id as in HFP topics, zero-padded (`0022`). */
  readonly id: string;
  readonly name: string;
}

export type GeofenceGeometry =
  | {
      readonly type: 'circle';
      readonly center: readonly [lon: number, lat: number];
      readonly radiusMeters: number;
    }
  | { readonly type: 'polygon'; readonly coordinates: readonly (readonly [lon: number, lat: number])[][] };

export interface Geofence {
  readonly id: string;
  readonly name: string;
  readonly geometry: GeofenceGeometry;
}

export interface GeofenceEvent {
  readonly kind: 'enter' | 'exit';
  readonly geofenceId: string;
  readonly geofenceName: string;
  readonly vehicleId: string;
  readonly operatorId: string;
  readonly line: string | null;
  /** Event time of the position that crossed the boundary, ms since the epoch. */
  readonly time: number;
}

export type FeedMode = 'live' | 'simulated' | 'replay';

/** RFC 9457 problem details, the body of every REST error. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
}

/** `GET /api/config`: what the web app needs before it draws anything. */
export interface ClientConfig {
  /** Base map style URL; null = use the built-in offline style. The web falls back to offline on failure. */
  readonly styleUrl: string | null;
  readonly feedMode: FeedMode;
  readonly protocolVersion: number;
  /** Initial view when the URL names none. */
  readonly center: readonly [lon: number, lat: number];
  readonly zoom: number;
}

/**
 * `GET /api/network`: the simulated network's lines and stops as GeoJSON (empty when the feed is live),
 * drawn by the offline style. Line features: LineString with { routeId, line, mode }; stops: Point
 * with { stopId, name }.
 */
export interface NetworkGeoJson {
  readonly type: 'FeatureCollection';
  readonly features: readonly {
    readonly type: 'Feature';
    readonly geometry:
      | { readonly type: 'LineString'; readonly coordinates: readonly (readonly [number, number])[] }
      | { readonly type: 'Point'; readonly coordinates: readonly [number, number] };
    readonly properties: Readonly<Record<string, string | number | null>>;
  }[];
}

/** `GET /api/status`: what the server is doing right now. */
export interface ApiStatus {
  readonly feedMode: FeedMode;
  readonly vehicles: number;
  /** Feed messages per second over the last few seconds (0 when this process runs no feed). */
  readonly messagesPerSecond: number;
  /** Feed counters; null in a process that runs no feed (a gateway role). */
  readonly feed: {
    readonly connected: boolean;
    readonly received: number;
    readonly accepted: number;
    /** Announcements of a journey not yet started: counted, not published as positions. */
    readonly upcoming: number;
    readonly duplicates: number;
    readonly outOfOrder: number;
    readonly rejected: Readonly<Record<string, number>>;
  } | null;
  readonly broker: { readonly backend: string; readonly status: string; readonly healthy: boolean };
  readonly clients: number;
  readonly uptimeSeconds: number;
}

/** `GET /api/geofences` and `GET /api/organizations/:id`: a geofence with the vehicles inside it. */
export interface GeofenceOccupancy extends Geofence {
  readonly vehicleIds: readonly string[];
}

/** `GET /api/organizations/:id`. */
export interface OrganizationDetails extends Organization {
  /** Every geofence, with this operator's vehicles inside each. */
  readonly geofences: readonly GeofenceOccupancy[];
  readonly vehicles: number;
}
