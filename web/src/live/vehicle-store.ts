/**
 * Live vehicles, outside React: the latest state of each vehicle the server sent, plus the track the
 * animation loop draws it along. Mutated only by applySnapshot/applyBatch (from the message buffer);
 * read every frame by the map controller. `version` bumps on every change so readers can skip work.
 */
import type { VehicleState } from '@realtimemap/shared';
import { type DrawnPosition, positionAt, retarget, type Track } from './interpolate.ts';

export interface LiveVehicle {
  state: VehicleState;
  track: Track;
  /** When this client received the latest state (its own clock). */
  receivedAt: number;
}

export type VehicleListener = (state: VehicleState) => void;

export class VehicleStore {
  readonly vehicles = new Map<string, LiveVehicle>();
  version = 0;
  /** Client time of the last change: the loop animates until every slide that began then is done. */
  lastChangeAt = Number.NEGATIVE_INFINITY;
  private readonly listeners = new Set<VehicleListener>();

  /** Replace the whole set. Vehicles already drawn keep sliding from where they are. */
  applySnapshot(states: readonly VehicleState[], now: number): void {
    const keep = new Set<string>();
    for (const s of states) {
      keep.add(s.vehicleId);
      this.upsert(s, now);
    }
    for (const id of this.vehicles.keys()) if (!keep.has(id)) this.vehicles.delete(id);
    this.version++;
    this.lastChangeAt = now;
  }

  applyBatch(updates: readonly VehicleState[], removed: readonly string[], now: number): void {
    for (const id of removed) this.vehicles.delete(id);
    for (const s of updates) this.upsert(s, now);
    this.version++;
    this.lastChangeAt = now;
  }

  get(id: string): LiveVehicle | undefined {
    return this.vehicles.get(id);
  }

  drawnPosition(id: string, now: number): DrawnPosition | undefined {
    const v = this.vehicles.get(id);
    return v ? positionAt(v.track, now) : undefined;
  }

  /** Called with each applied state (used by the details panel and the live trail). */
  onUpdate(listener: VehicleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private upsert(state: VehicleState, now: number): void {
    const prev = this.vehicles.get(state.vehicleId);
    if (prev && state.eventTime < prev.state.eventTime) return; // late duplicate: never move back
    if (prev) {
      prev.track = retarget(prev.track, state.lon, state.lat, now, now - prev.receivedAt);
      prev.state = state;
      prev.receivedAt = now;
    } else {
      this.vehicles.set(state.vehicleId, {
        state,
        track: retarget(undefined, state.lon, state.lat, now, 0),
        receivedAt: now,
      });
    }
    for (const l of this.listeners) l(state);
  }
}
