/** The feed's counters: everything received is accounted for as accepted, upcoming, duplicate or rejected. */
import type { HfpRejectReason } from '@realtimemap/shared';

export interface FeedStats {
  /** MQTT messages received. */
  readonly received: number;
  /** Parsed and published as positions (includes out-of-order ones). */
  readonly accepted: number;
  /** Exact repeats dropped. */
  readonly duplicates: number;
  /**
   * Parsed, but about a journey the vehicle has not started (`journey/upcoming/...`): counted and not
   * published, since the vehicle's own position comes on its ongoing or deadrun topic and an announced
   * route would make the map flip the vehicle between its current and next line.
   */
  readonly upcoming: number;
  /** Accepted but older than the vehicle's latest: published with `outOfOrder: true`. */
  readonly outOfOrder: number;
  /** Turned down by the parser, by reason. */
  readonly rejected: Readonly<Partial<Record<HfpRejectReason, number>>>;
  /** Positions the broker refused (publish rejected). */
  readonly publishErrors: number;
  /** Received per second over the last few seconds. */
  readonly messagesPerSecond: number;
  readonly connected: boolean;
  /** Times the MQTT connection was (re)established. */
  readonly connects: number;
}

/** Messages per second over a sliding window of whole seconds. */
export class RateMeter {
  private readonly buckets: number[];
  private second = 0;

  constructor(private readonly windowSeconds = 5) {
    this.buckets = new Array(windowSeconds).fill(0);
  }

  add(now: number): void {
    this.roll(now);
    this.buckets[this.second % this.windowSeconds]!++;
  }

  /** Mean over the completed seconds of the window. */
  rate(now: number): number {
    this.roll(now);
    let sum = 0;
    for (let i = 1; i < this.windowSeconds; i++)
      sum += this.buckets[(this.second - i + this.windowSeconds * 2) % this.windowSeconds]!;
    return sum / (this.windowSeconds - 1);
  }

  private roll(now: number): void {
    const s = Math.floor(now / 1000);
    if (this.second === 0) this.second = s;
    if (s - this.second >= this.windowSeconds) {
      this.buckets.fill(0);
      this.second = s;
      return;
    }
    while (this.second < s) {
      this.second++;
      this.buckets[this.second % this.windowSeconds] = 0;
    }
  }
}
