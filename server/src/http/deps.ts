/** What the HTTP layer reads. Passed in by the CLI; tests pass small real instances. */
import type { ApiStatus, ClientConfig, Geofence, NetworkGeoJson } from '@realtimemap/shared';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { GeofenceTracker } from '../state/geofence-tracker.ts';
import type { VehicleStore } from '../state/vehicle-store.ts';

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, boolean>>;
}

export interface HttpDeps {
  readonly logger: Logger;
  readonly store: VehicleStore;
  readonly tracker: GeofenceTracker;
  readonly geofences: readonly Geofence[];
  readonly clientConfig: ClientConfig;
  readonly network: () => NetworkGeoJson;
  readonly status: () => ApiStatus;
  readonly readiness: () => Readiness;
  readonly metrics: Registry;
  /** Folder of the built web app; missing folder = a clear 503 page at `/`. */
  readonly webDist: string | undefined;
}
