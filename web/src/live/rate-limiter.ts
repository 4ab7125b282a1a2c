/**
 * Sliding-window limiter for toasts: at most `limit` accepted per `windowMs`; the rest are counted as
 * suppressed so the UI can say "+N more" instead of flooding the screen.
 */
export class RateLimiter {
  private readonly accepted: number[] = [];
  private suppressedCount = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** true when the event may be shown now. */
  tryAccept(now: number): boolean {
    while (this.accepted.length > 0 && (this.accepted[0] ?? 0) <= now - this.windowMs) this.accepted.shift();
    if (this.accepted.length < this.limit) {
      this.accepted.push(now);
      return true;
    }
    this.suppressedCount++;
    return false;
  }

  /** Events refused since the last call. */
  takeSuppressed(): number {
    const n = this.suppressedCount;
    this.suppressedCount = 0;
    return n;
  }
}
