import { performance } from 'node:perf_hooks';

/** One watched deadline; `cancel()` it when the work finishes in time. */
export interface Deadline {
  cancel(): void;
}

/** A node of one timeout's list: deadlines of equal timeout expire in the order they were added. */
class Entry implements Deadline {
  prev: Entry | undefined;
  next: Entry | undefined;
  list: List | undefined;
  constructor(
    readonly at: number,
    readonly onExpire: () => void,
  ) {}

  cancel(): void {
    this.list?.unlink(this);
  }
}

class List {
  head: Entry | undefined;
  tail: Entry | undefined;

  push(e: Entry): void {
    e.list = this;
    e.prev = this.tail;
    if (this.tail) this.tail.next = e;
    else this.head = e;
    this.tail = e;
  }

  unlink(e: Entry): void {
    if (e.prev) e.prev.next = e.next;
    else this.head = e.next;
    if (e.next) e.next.prev = e.prev;
    else this.tail = e.prev;
    e.prev = e.next = e.list = undefined;
  }
}

/**
 * Many deadlines on one timer (instead of a setTimeout per handler run). Deadlines are kept in one
 * doubly linked list per timeout length, so each list is already in expiry order: watch and cancel
 * are O(1) with no timer call, and only the earliest head is ever armed. The timer is unref'd and
 * armed only while something is watched, so an idle sweep holds no process open and starts nothing
 * until first used. A cancelled deadline never fires; the timer may then wake once for nothing.
 */
export class DeadlineSweep {
  private readonly lists = new Map<number, List>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the armed timer fires (ms on the `now` clock). */
  private armedAt = Number.POSITIVE_INFINITY;

  /** `now`: a monotonic clock in ms (a wall-clock jump must not fire or stall every deadline). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Calls `onExpire` once `timeoutMs` has passed, unless cancelled first. */
  watch(timeoutMs: number, onExpire: () => void): Deadline {
    let list = this.lists.get(timeoutMs);
    if (!list) {
      list = new List();
      this.lists.set(timeoutMs, list);
    }
    const entry = new Entry(this.now() + timeoutMs, onExpire);
    list.push(entry);
    if (entry.at < this.armedAt) this.arm(entry.at);
    return entry;
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = setTimeout(() => this.sweep(), Math.max(0, at - this.now()));
    this.timer.unref?.();
  }

  private sweep(): void {
    this.timer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = this.now();
    const expired: Entry[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [timeoutMs, list] of this.lists) {
      while (list.head && list.head.at <= now) {
        const e = list.head;
        list.unlink(e);
        expired.push(e);
      }
      if (list.head) next = Math.min(next, list.head.at);
      else this.lists.delete(timeoutMs);
    }
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
    // Callbacks last: one that watches again must find the sweep's state consistent.
    for (const e of expired) e.onExpire();
  }
}
