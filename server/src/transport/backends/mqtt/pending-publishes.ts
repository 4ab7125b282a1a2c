import { PublishError } from '../../errors.ts';

/**
 * One publish waiting for its PUBACK: the promise's settle functions and the one callback mqtt.js
 * calls. An object rather than a handful of closures per publish (they showed in the profile).
 */
export class PendingPublish {
  /** When it fails for want of a PUBACK (ms since epoch; Infinity = never). */
  deadline = Number.POSITIVE_INFINITY;
  private settled = false;
  /** For mqtt.js: called with an error, or none once the PUBACK arrived. */
  readonly onAck: (error?: Error | null) => void = ackCallback(this);

  constructor(
    private readonly owner: PendingPublishes,
    private readonly topic: string,
    private readonly resolve: () => void,
    private readonly reject: (error: Error) => void,
  ) {}

  /** Settles once (later calls are ignored): resolves without an error, else rejects with PublishError. */
  settle(error?: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.owner.remove(this);
    if (error === undefined) this.resolve();
    else this.reject(new PublishError('mqtt', this.topic, error));
  }
}

/**
 * Made by a function, not a class-field arrow: tsx (esbuild keepNames) wraps every named arrow in a
 * defineProperty call for its name, which cost more than the rest of the bookkeeping per publish.
 */
function ackCallback(p: PendingPublish): (error?: Error | null) => void {
  return (error) => p.settle(error ?? undefined);
}

/**
 * The publishes waiting for a PUBACK: failed together when the connection drops, failed one by one
 * when they pass their deadline (one sweep timer for all, not a timer per publish; it runs while
 * anything is pending and stops a sweep after, so a steady trickle of publishes arms it once), and awaited by
 * close() so accepted publishes are flushed before disconnecting.
 */
export class PendingPublishes {
  private readonly entries = new Set<PendingPublish>();
  private idleWaiters: (() => void)[] = [];
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly timeoutMs: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** A new pending publish for `topic`, settled through the given promise functions. */
  add(topic: string, resolve: () => void, reject: (error: Error) => void): PendingPublish {
    const entry = new PendingPublish(this, topic, resolve, reject);
    if (this.timeoutMs > 0) entry.deadline = Date.now() + this.timeoutMs;
    this.entries.add(entry);
    if (!this.sweeper && this.timeoutMs > 0) {
      this.sweeper = setInterval(() => this.sweep(), Math.min(1_000, this.timeoutMs));
      this.sweeper.unref();
    }
    return entry;
  }

  failAll(error: Error): void {
    for (const e of [...this.entries]) e.settle(error);
  }

  /** Resolves once nothing is pending. */
  idle(): Promise<void> {
    if (this.entries.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Called by an entry as it settles. */
  remove(entry: PendingPublish): void {
    if (!this.entries.delete(entry) || this.entries.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Fails what is past its deadline; the timer stops at the first sweep that finds nothing pending. */
  private sweep(): void {
    if (this.entries.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
      return;
    }
    const now = Date.now();
    for (const e of [...this.entries]) {
      if (e.deadline <= now) e.settle(new Error(`no PUBACK within ${this.timeoutMs} ms`));
    }
  }
}
