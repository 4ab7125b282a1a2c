import { InvalidOptionError } from '../errors.ts';
import { Fifo } from './fifo.ts';

type Task = () => Promise<void> | void;

interface Entry {
  readonly key: string | undefined;
  readonly task: Task;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs up to `maxInFlight` tasks at once while tasks with the same key run one after another, in the
 * order they were scheduled. Tasks without a key (or every task, when `orderedByKey` is false) only
 * share the concurrency limit. Each backend feeds its deliveries through one of these per subscription.
 */
export class KeyedScheduler {
  readonly maxInFlight: number;
  readonly orderedByKey: boolean;
  private readonly ready = new Fifo<Entry>();
  /** Keys with a task running or ready; their later tasks wait here. */
  private readonly waitingByKey = new Map<string, Fifo<Entry>>();
  private runningCount = 0;
  private queuedCount = 0;
  private idleWaiters: (() => void)[] = [];
  private capacityWaiters: { limit: number; resolve: () => void }[] = [];

  constructor(options: { maxInFlight?: number; orderedByKey?: boolean } = {}) {
    const max = options.maxInFlight ?? 1;
    if (!Number.isInteger(max) || max < 1)
      throw new InvalidOptionError('maxInFlight must be an integer >= 1');
    this.maxInFlight = max;
    this.orderedByKey = options.orderedByKey ?? true;
  }

  /** Tasks running now. */
  get running(): number {
    return this.runningCount;
  }

  /** Tasks scheduled but not started. */
  get queued(): number {
    return this.queuedCount;
  }

  /** running + queued. */
  get size(): number {
    return this.runningCount + this.queuedCount;
  }

  /**
   * Schedules `task`; resolves when it has run (rejects with what it threw). The returned promise may
   * be ignored only by tasks that never throw.
   */
  run(key: string | undefined, task: Task): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry: Entry = { key: this.orderedByKey ? key : undefined, task, resolve, reject };
      this.queuedCount++;
      if (entry.key === undefined) {
        this.ready.push(entry);
      } else {
        const chain = this.waitingByKey.get(entry.key);
        if (chain) chain.push(entry);
        else {
          this.waitingByKey.set(entry.key, new Fifo());
          this.ready.push(entry);
        }
      }
      this.pump();
    });
  }

  /** Resolves once nothing is running or queued. */
  onIdle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves once running + queued is below `limit` (for backpressure: pause the source until then). */
  whenBelow(limit: number): Promise<void> {
    if (this.size < limit) return Promise.resolve();
    return new Promise((resolve) => this.capacityWaiters.push({ limit, resolve }));
  }

  private pump(): void {
    while (this.runningCount < this.maxInFlight) {
      const entry = this.ready.shift();
      if (!entry) break;
      this.queuedCount--;
      this.runningCount++;
      this.execute(entry);
    }
  }

  private execute(entry: Entry): void {
    let returned: unknown;
    try {
      returned = entry.task();
    } catch (error) {
      this.finish(entry, error, true);
      return;
    }
    // A task that finished synchronously costs no extra promise turn.
    if (returned instanceof Promise) {
      returned.then(
        () => this.finish(entry, undefined, false),
        (error: unknown) => this.finish(entry, error, true),
      );
    } else {
      this.finish(entry, undefined, false);
    }
  }

  private finish(entry: Entry, error: unknown, failed: boolean): void {
    if (failed) entry.reject(error);
    else entry.resolve();
    this.runningCount--;
    if (entry.key !== undefined) {
      const chain = this.waitingByKey.get(entry.key);
      const next = chain?.shift();
      if (next) this.ready.push(next);
      else this.waitingByKey.delete(entry.key);
    }
    this.pump();
    this.notify();
  }

  private notify(): void {
    if (this.capacityWaiters.length > 0) {
      const still: typeof this.capacityWaiters = [];
      for (const w of this.capacityWaiters) {
        if (this.size < w.limit) w.resolve();
        else still.push(w);
      }
      this.capacityWaiters = still;
    }
    if (this.size === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
