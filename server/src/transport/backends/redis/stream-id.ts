/**
 * Stream entry ids (`<ms>-<seq>`, the ms being when Redis stored the entry): comparison, and the
 * group start id that makes a replay begin at the first entry stored at or after a time.
 */

/** The largest sequence number Redis accepts (unsigned 64-bit). */
const MAX_SEQ = '18446744073709551615';

/**
 * A consumer group delivers entries after its last-delivered id, so "at or after `time`" starts
 * just before `<time>-0` (an entry stamped `<time>-0` is common: seq restarts at 0 every ms).
 */
export function groupStartIdForTime(time: number): string {
  const ms = Math.floor(time);
  return ms <= 0 ? '0' : `${ms - 1}-${MAX_SEQ}`;
}

/** <0, 0, >0 like a sort comparator. BigInt: a sequence number can exceed 2^53. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = splitId(a);
  const [bm, bs] = splitId(b);
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}

function splitId(id: string): [bigint, bigint] {
  const dash = id.indexOf('-');
  return dash < 0 ? [BigInt(id), 0n] : [BigInt(id.slice(0, dash)), BigInt(id.slice(dash + 1))];
}
