/**
 * Drops exact repeats: the live feed sends some messages twice (same topic, same payload bytes)
 * within a few hundred ms. Remembers each message for `windowMs`, oldest first, so memory stays
 * bounded by the message rate times the window.
 *
 * Keyed by topic, not topic + payload: a topic is a quarter of a payload's length, so hashing it is
 * cheaper, and no key string is built per message. The few recent payloads of the same topic are then
 * compared with `===` (length first, then bytes up to the first difference: the `tst` field, early).
 */
export interface DuplicateFilter {
  /** True when the same topic + payload was seen within the window (and so should be dropped). */
  isDuplicate(topic: string, payload: string, now: number): boolean;
  /** Messages remembered. */
  readonly size: number;
}

/** One remembered message; `older` links to the previous one of the same topic (newest first). */
interface Seen {
  readonly payload: string;
  readonly time: number;
  older: Seen | undefined;
}

export function createDuplicateFilter(windowMs = 500): DuplicateFilter {
  const newest = new Map<string, Seen>();
  // Arrival order, for forgetting: parallel arrays with a moving head, compacted now and then.
  let topics: string[] = [];
  let entries: Seen[] = [];
  let head = 0;
  return {
    isDuplicate(topic, payload, now) {
      const horizon = now - windowMs;
      while (head < entries.length && entries[head]!.time < horizon) {
        const t = topics[head]!;
        // Only the newest of a topic is in the map; once it is too old, so are all before it.
        if (newest.get(t) === entries[head]) newest.delete(t);
        head++;
      }
      if (head > 4096 && head * 2 > entries.length) {
        topics = topics.slice(head);
        entries = entries.slice(head);
        head = 0;
      }
      const first = newest.get(topic);
      let younger: Seen | undefined;
      for (let e = first; e !== undefined; e = e.older) {
        if (e.time < horizon) {
          // Cut the chain here: nothing older can match again, and the chain must not grow forever.
          if (younger) younger.older = undefined;
          break;
        }
        if (e.payload === payload) return true;
        younger = e;
      }
      const entry: Seen = {
        payload,
        time: now,
        older: first !== undefined && first.time >= horizon ? first : undefined,
      };
      newest.set(topic, entry);
      topics.push(topic);
      entries.push(entry);
      return false;
    },
    get size() {
      return entries.length - head;
    },
  };
}
