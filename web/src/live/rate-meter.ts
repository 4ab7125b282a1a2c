/** Events per second over a sliding window, for the status bar's updates/s. */
export class RateMeter {
  private readonly samples: { t: number; n: number }[] = [];

  constructor(private readonly windowMs = 5_000) {}

  add(n: number, now: number): void {
    this.samples.push({ t: now, n });
    this.trim(now);
  }

  perSecond(now: number): number {
    this.trim(now);
    let total = 0;
    for (const s of this.samples) total += s.n;
    return (total * 1000) / this.windowMs;
  }

  private trim(now: number): void {
    while (this.samples.length > 0 && (this.samples[0]?.t ?? 0) <= now - this.windowMs) this.samples.shift();
  }
}
