import { InvalidOptionError } from '../errors.ts';
import { Fifo } from './fifo.ts';

type Task = () => Promise<void> | void;

/** A task that takes one argument, so a caller can schedule without a closure per message. */
type ArgTask<A> = (arg: A) => Promise<void> | void;

interface Entry {
  readonly key: string | undefined;
  readonly task: ArgTask<unknown>;
  readonly arg: unknown;
  /** Absent for post(): nobody waits on the task's own promise. */
  readonly resolve: (() => void) | undefined;
  readonly reject: ((error: unknown) => void) | undefined;
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
  /**
   * Keys with a task running or ready; their later tasks wait here. null = active with nothing
   * waiting (the common case: no queue is allocated until a second task of the key arrives).
   */
  private readonly waitingByKey = new Map<string, Fifo<Entry> | null>();
  private runningCount = 0;
  private queuedCount = 0;
  private pumping = false;
  /** The key of the task runNow() is running synchronously (held without a map entry). */
  private inlineKey: string | undefined;
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
      this.enqueue({ key: this.orderedByKey ? key : undefined, task, arg: undefined, resolve, reject });
    });
  }

  /**
   * Schedules `task(arg)` with no promise of its own (the hot path: no allocation beyond the entry).
   * The task must handle its own failures; one that throws or rejects anyway surfaces as an unhandled
   * rejection, as a `void run(...)` would.
   */
  post<A>(key: string | undefined, task: ArgTask<A>, arg: A): void {
    const k = this.orderedByKey ? key : undefined;
    // Nothing queued, a free slot, the key idle: run it now. A task that finishes synchronously then
    // costs no entry, no queue and no key-map writes (measured in the Redis bench's --cpu-prof).
    if (
      !this.pumping &&
      this.queuedCount === 0 &&
      this.runningCount < this.maxInFlight &&
      (k === undefined || !this.waitingByKey.has(k))
    ) {
      this.runNow(k, task as ArgTask<unknown>, arg);
      return;
    }
    this.enqueue({ key: k, task: task as ArgTask<unknown>, arg, resolve: undefined, reject: undefined });
  }

  /**
   * post()'s fast path. The key is held without a map entry while the task runs synchronously
   * (`inlineKey`); tasks it posts meanwhile queue behind it. Only a task that returns a promise
   * registers its key and an entry, and then finishes like any other.
   */
  private runNow(key: string | undefined, task: ArgTask<unknown>, arg: unknown): void {
    this.pumping = true;
    this.inlineKey = key;
    this.runningCount++;
    let returned: unknown;
    let failed = false;
    try {
      returned = task(arg);
    } catch (error) {
      failed = true;
      void Promise.reject(error);
    }
    this.inlineKey = undefined;
    if (!failed && returned instanceof Promise) {
      const entry: Entry = { key, task, arg, resolve: undefined, reject: undefined };
      if (key !== undefined && !this.waitingByKey.has(key)) this.waitingByKey.set(key, null);
      returned.then(
        () => this.finish(entry, undefined, false),
        (error: unknown) => this.finish(entry, error, true),
      );
    } else {
      this.runningCount--;
      // Tasks of the same key posted while it ran wait in a queue of their own: start the first.
      const waiting = key === undefined ? undefined : this.waitingByKey.get(key);
      if (waiting) {
        const next = waiting.shift();
        if (next) this.ready.push(next);
        else this.waitingByKey.delete(key as string);
      }
    }
    this.pumping = false;
    this.pump();
    this.notify();
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

  private enqueue(entry: Entry): void {
    this.queuedCount++;
    if (entry.key === undefined) {
      this.ready.push(entry);
    } else {
      const chain = this.waitingByKey.get(entry.key);
      if (chain === undefined && entry.key !== this.inlineKey) {
        this.waitingByKey.set(entry.key, null);
        this.ready.push(entry);
      } else if (chain === undefined || chain === null) {
        const waiting = new Fifo<Entry>();
        waiting.push(entry);
        this.waitingByKey.set(entry.key, waiting);
      } else chain.push(entry);
    }
    this.pump();
  }

  private pump(): void {
    // Not re-entrant: a task that finishes synchronously calls finish() -> pump() from inside this
    // loop; the outer loop picks up what it made ready, so the stack stays flat however long the queue.
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.runningCount < this.maxInFlight) {
        const entry = this.ready.shift();
        if (!entry) break;
        this.queuedCount--;
        this.runningCount++;
        this.execute(entry);
      }
    } finally {
      this.pumping = false;
    }
  }

  private execute(entry: Entry): void {
    let returned: unknown;
    try {
      returned = entry.task(entry.arg);
    } catch (error) {
      this.finish(entry, error, true);
      return;
    }
    // A task that finished synchronously costs no promise turn at all.
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
    if (entry.resolve === undefined) {
      if (failed) void Promise.reject(error);
    } else if (failed) entry.reject!(error);
    else entry.resolve();
    this.runningCount--;
    if (entry.key !== undefined) {
      const next = this.waitingByKey.get(entry.key)?.shift();
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
