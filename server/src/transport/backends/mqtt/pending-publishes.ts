/** One publish waiting for its PUBACK. */
interface Pending {
  readonly deadline: number;
  readonly fail: (error: Error) => void;
}

/**
 * The publishes waiting for a PUBACK: failed together when the connection drops, failed one by one
 * when they pass their deadline (one sweep timer for all, not a timer per publish), and awaited by
 * close() so accepted publishes are flushed before disconnecting.
 */
export class PendingPublishes {
  private readonly entries = new Set<Pending>();
  private idleWaiters: (() => void)[] = [];
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly timeoutMs: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** Registers a publish; call the returned function once it settles. */
  add(fail: (error: Error) => void): () => void {
    const entry: Pending = { deadline: this.timeoutMs > 0 ? Date.now() + this.timeoutMs : Infinity, fail };
    this.entries.add(entry);
    if (!this.sweeper && this.timeoutMs > 0) {
      this.sweeper = setInterval(() => this.sweep(), Math.min(1_000, this.timeoutMs));
      this.sweeper.unref();
    }
    return () => this.remove(entry);
  }

  failAll(error: Error): void {
    for (const e of [...this.entries]) {
      this.remove(e);
      e.fail(error);
    }
  }

  /** Resolves once nothing is pending. */
  idle(): Promise<void> {
    if (this.entries.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private remove(entry: Pending): void {
    if (!this.entries.delete(entry) || this.entries.size > 0) return;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private sweep(): void {
    const now = Date.now();
    for (const e of [...this.entries]) {
      if (e.deadline <= now) {
        this.remove(e);
        e.fail(new Error(`no PUBACK within ${this.timeoutMs} ms`));
      }
    }
  }
}
