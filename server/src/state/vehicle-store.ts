/**
 * Live vehicle state: the latest position per vehicle (moved only by newer event times), a bounded
 * time-ordered trail, and staleness (stale after `staleMs` of silence, removed after `removeMs`).
 * Listeners hear every change synchronously; the gateway batches them per tick.
 */
import type { TrailPoint, VehiclePosition, VehicleState } from '@realtimemap/shared';
import type { Clock } from './clock.ts';
import { insertTrailPoint, type TrailBounds } from './trail.ts';

export interface VehicleStoreOptions {
  readonly clock: Clock;
  readonly staleMs: number;
  readonly removeMs: number;
  readonly trail: TrailBounds;
}

/** `update`: latest state changed (position, stale flag); `remove`: the vehicle is gone. */
export type VehicleChange = 'update' | 'remove';
export type VehicleListener = (vehicleId: string, change: VehicleChange) => void;

/** What apply() did with a position. */
export type ApplyResult = 'created' | 'updated' | 'trail-only' | 'duplicate';

interface Entry {
  state: VehicleState;
  trail: TrailPoint[];
  /** Clock time when the latest position arrived (for latency figures). */
  receivedAt: number;
}

/**
 * The vehicle's state from its latest position, field by field: one object shape for every state
 * (the feed's outOfOrder mark is not state). On the hot path this is several times cheaper than a
 * rest pattern leaving the mark out (measured). Every field is required, so a new one fails typecheck
 * here until it is copied.
 */
function stateOf(p: VehiclePosition, lastSeen: number): VehicleState {
  return {
    vehicleId: p.vehicleId,
    operatorId: p.operatorId,
    vehicleNumber: p.vehicleNumber,
    mode: p.mode,
    eventType: p.eventType,
    journeyType: p.journeyType,
    routeId: p.routeId,
    line: p.line,
    direction: p.direction,
    headsign: p.headsign,
    startTime: p.startTime,
    operatingDay: p.operatingDay,
    lat: p.lat,
    lon: p.lon,
    heading: p.heading,
    speed: p.speed,
    acceleration: p.acceleration,
    delay: p.delay,
    odometer: p.odometer,
    doorsOpen: p.doorsOpen,
    occupancy: p.occupancy,
    eventTime: p.eventTime,
    source: p.source,
    nextStop: p.nextStop,
    stop: p.stop,
    stale: false,
    lastSeen,
  };
}

export class VehicleStore {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<VehicleListener>();

  constructor(private readonly options: VehicleStoreOptions) {}

  get size(): number {
    return this.entries.size;
  }

  onChange(listener: VehicleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * `seenAt`: when the position reached the system, if earlier than now (a state rebuilt from the
   * broker's history); silence, hence staleness, counts from it.
   */
  apply(position: VehiclePosition, seenAt?: number): ApplyResult {
    const clockNow = this.options.clock();
    const now = seenAt !== undefined && seenAt < clockNow ? seenAt : clockNow;
    const point: TrailPoint = {
      t: position.eventTime,
      lat: position.lat,
      lon: position.lon,
      heading: position.heading,
      speed: position.speed,
    };
    const entry = this.entries.get(position.vehicleId);
    if (!entry) {
      this.entries.set(position.vehicleId, {
        state: stateOf(position, now),
        trail: [point],
        receivedAt: clockNow,
      });
      this.emit(position.vehicleId, 'update');
      return 'created';
    }
    const trailChanged = insertTrailPoint(entry.trail, point, this.options.trail);
    if (position.eventTime <= entry.state.eventTime) return trailChanged ? 'trail-only' : 'duplicate';
    entry.state = stateOf(position, now);
    entry.receivedAt = clockNow;
    this.emit(position.vehicleId, 'update');
    return 'updated';
  }

  /** Marks silent vehicles stale and removes long-silent ones. Call about once a second. */
  sweep(): { readonly stale: string[]; readonly removed: string[] } {
    const now = this.options.clock();
    const stale: string[] = [];
    const removed: string[] = [];
    for (const [id, entry] of this.entries) {
      const silent = now - entry.state.lastSeen;
      if (silent >= this.options.removeMs) {
        this.entries.delete(id);
        removed.push(id);
      } else if (silent >= this.options.staleMs && !entry.state.stale) {
        entry.state = { ...entry.state, stale: true };
        stale.push(id);
      }
    }
    for (const id of stale) this.emit(id, 'update');
    for (const id of removed) this.emit(id, 'remove');
    return { stale, removed };
  }

  get(vehicleId: string): VehicleState | undefined {
    return this.entries.get(vehicleId)?.state;
  }

  /** When the latest position of the vehicle arrived (clock ms), for entry-to-frame latency. */
  receivedAt(vehicleId: string): number | undefined {
    return this.entries.get(vehicleId)?.receivedAt;
  }

  trail(vehicleId: string): readonly TrailPoint[] | undefined {
    return this.entries.get(vehicleId)?.trail;
  }

  *values(): IterableIterator<VehicleState> {
    for (const entry of this.entries.values()) yield entry.state;
  }

  private emit(vehicleId: string, change: VehicleChange): void {
    for (const listener of this.listeners) listener(vehicleId, change);
  }
}
