/**
 * The gateway's handle on one vehicle: its current cell, when its latest position arrived, and the
 * encoding of its latest state (made once, on first use, whatever the number of clients and groups).
 * Tick groups hold tracks rather than ids, so a tick reads all of this without a lookup by id.
 */
import type { TransportMode } from '@realtimemap/shared';
import type { CellKey } from './grid.ts';

/** One vehicle state, encoded: what every client that gets it shares. */
export interface EncodedVehicle {
  readonly id: string;
  readonly mode: TransportMode;
  readonly routeId: string | null;
  readonly line: string | null;
  /** The vehicle record (shared/src/protocol/vehicle-record.ts). */
  readonly record: Uint8Array;
  /** The id as a removed-id entry, for clients whose filter the vehicle no longer passes. */
  readonly idBytes: Uint8Array;
}

export interface VehicleTrack {
  readonly id: string;
  /** The id as a removed-id entry (encoded once per vehicle). */
  readonly idBytes: Uint8Array;
  /** Current cell; undefined once the vehicle is removed. */
  cell: CellKey | undefined;
  /** Arrival time of the latest position (clock ms), for entry-to-frame latency. */
  receivedAt: number;
  /** The latest state, encoded; cleared by every change. */
  encoded: EncodedVehicle | undefined;
}
