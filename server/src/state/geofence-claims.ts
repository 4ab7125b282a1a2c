/**
 * Which gateway publishes a position's geofence events when every gateway evaluates every position.
 *
 * Each gateway's tracker sees every position (fan-out) in per-vehicle order, so all of them compute
 * the same enter/exit events; membership is kept everywhere because REST reads it. Publishing is
 * decided by a competing group on the same topic: the process whose group member is handed a
 * position publishes that position's events, so each event goes out once per deployment. This does
 * not depend on the backend keeping a vehicle on one member (JetStream spreads a group's messages
 * freely), since no member holds state of its own.
 *
 * This class matches the two halves, whichever comes first: `evaluated()` from the fan-out
 * subscription, `claim()` from the group's. Pure bookkeeping: no timers (the owner calls `sweep()`).
 */
import type { GeofenceEvent } from '@realtimemap/shared';

interface Waiter {
  readonly t: number;
  readonly deadline: number;
  readonly resolve: (events: readonly GeofenceEvent[] | undefined) => void;
}

export interface GeofenceClaimsOptions {
  /** Unclaimed events are forgotten after this long (another gateway claimed them). Default 60 s. */
  readonly keepMs?: number;
}

const NONE: readonly GeofenceEvent[] = Object.freeze([]);

export class GeofenceClaims {
  /** vehicle id -> newest event time evaluated here. */
  private readonly evaluatedUpTo = new Map<string, number>();
  /** `<vehicle id> <event time>` -> events not yet claimed, and when they were evaluated. */
  private readonly unclaimed = new Map<string, { events: readonly GeofenceEvent[]; at: number }>();
  private readonly waiters = new Map<string, Waiter[]>();
  /** vehicle id -> newest event time claimed here (its removal exits are ours to publish). */
  private readonly claimedUpTo = new Map<string, number>();
  private readonly keepMs: number;
  private timedOut = 0;
  private released = false;

  constructor(options: GeofenceClaimsOptions = {}) {
    this.keepMs = options.keepMs ?? 60_000;
  }

  /** The fan-out side: position (vehicle, t) was evaluated; `events` it caused (usually none). */
  evaluated(vehicleId: string, t: number, events: readonly GeofenceEvent[], now: number): void {
    const upTo = this.evaluatedUpTo.get(vehicleId);
    if (upTo === undefined || t > upTo) this.evaluatedUpTo.set(vehicleId, t);
    if (events.length > 0) this.unclaimed.set(`${vehicleId} ${t}`, { events, at: now });
    const waiting = this.waiters.get(vehicleId);
    if (!waiting) return;
    const still = waiting.filter((w) => {
      if (w.t > t) return true;
      w.resolve(this.take(vehicleId, w.t));
      return false;
    });
    if (still.length > 0) this.waiters.set(vehicleId, still);
    else this.waiters.delete(vehicleId);
  }

  /**
   * The group side: this process publishes the events of (vehicle, t). Resolves with them (often
   * none) once the position is evaluated here, or with undefined when `sweep()` finds it waited
   * past `deadline` (the fan-out never delivered it). Already evaluated (the usual case): the events
   * themselves, not a promise, so a batch of claims allocates nothing per position.
   */
  claim(
    vehicleId: string,
    t: number,
    deadline: number,
  ): readonly GeofenceEvent[] | Promise<readonly GeofenceEvent[] | undefined> {
    const claimed = this.claimedUpTo.get(vehicleId);
    if (claimed === undefined || t > claimed) this.claimedUpTo.set(vehicleId, t);
    const upTo = this.evaluatedUpTo.get(vehicleId);
    if (upTo !== undefined && upTo >= t) return this.take(vehicleId, t);
    if (this.released) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const list = this.waiters.get(vehicleId) ?? [];
      list.push({ t, deadline, resolve });
      this.waiters.set(vehicleId, list);
    });
  }

  /**
   * The vehicle was removed (silent too long): true when this process claimed its newest position,
   * so its exit events are ours to publish. Forgets the vehicle either way.
   */
  removed(vehicleId: string): boolean {
    const ours = this.claimedUpTo.get(vehicleId) === this.evaluatedUpTo.get(vehicleId);
    const known = this.claimedUpTo.has(vehicleId);
    this.claimedUpTo.delete(vehicleId);
    this.evaluatedUpTo.delete(vehicleId);
    return known && ours;
  }

  /** Drops events nobody here claimed within keepMs and ends claims waiting past their deadline. */
  sweep(now: number): void {
    for (const [key, entry] of this.unclaimed) if (now - entry.at > this.keepMs) this.unclaimed.delete(key);
    for (const [vehicleId, list] of this.waiters) {
      const still = list.filter((w) => {
        if (w.deadline > now) return true;
        this.timedOut++;
        w.resolve(undefined);
        return false;
      });
      if (still.length > 0) this.waiters.set(vehicleId, still);
      else this.waiters.delete(vehicleId);
    }
  }

  /** Ends every waiting claim, and any later one, with undefined: the process is stopping. */
  release(): void {
    this.released = true;
    for (const list of this.waiters.values()) for (const w of list) w.resolve(undefined);
    this.waiters.clear();
  }

  stats(): { readonly unclaimed: number; readonly waiting: number; readonly timedOut: number } {
    let waiting = 0;
    for (const list of this.waiters.values()) waiting += list.length;
    return { unclaimed: this.unclaimed.size, waiting, timedOut: this.timedOut };
  }

  private take(vehicleId: string, t: number): readonly GeofenceEvent[] {
    const key = `${vehicleId} ${t}`;
    const entry = this.unclaimed.get(key);
    if (!entry) return NONE;
    this.unclaimed.delete(key);
    return entry.events;
  }
}
