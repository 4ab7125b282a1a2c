/**
 * Drops exact repeats: the live feed sends some messages twice (same topic, same payload bytes)
 * within a few hundred ms. Remembers each message for `windowMs`, oldest first, so memory stays
 * bounded by the message rate times the window.
 */
export interface DuplicateFilter {
  /** True when the same topic + payload was seen within the window (and so should be dropped). */
  isDuplicate(topic: string, payload: string, now: number): boolean;
  readonly size: number;
}

export function createDuplicateFilter(windowMs = 500): DuplicateFilter {
  const seen = new Map<string, number>();
  const keys: string[] = [];
  const times: number[] = [];
  let head = 0;
  return {
    isDuplicate(topic, payload, now) {
      while (head < keys.length && times[head]! < now - windowMs) {
        const k = keys[head]!;
        if (seen.get(k) === times[head]) seen.delete(k);
        head++;
      }
      if (head > 4096 && head * 2 > keys.length) {
        keys.splice(0, head);
        times.splice(0, head);
        head = 0;
      }
      const key = `${topic}\n${payload}`;
      const last = seen.get(key);
      if (last !== undefined && now - last <= windowMs) return true;
      seen.set(key, now);
      keys.push(key);
      times.push(now);
      return false;
    },
    get size() {
      return seen.size;
    },
  };
}
