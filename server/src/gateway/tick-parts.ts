/**
 * What one tick produced for a group of clients, laid out for fan-out: the changed vehicles' records
 * sorted by cell key (row * COLS + column) in one buffer, and the removed ids the same way. A
 * viewport is a rectangle of cells, so what a client sees of one grid row is one contiguous byte
 * range: an unfiltered client's frame takes one slice per row (found by binary search), never one
 * copy per cell or per vehicle. Filtered or coalescing clients walk the same ranges entry by entry.
 */

import type { CellKey } from './grid.ts';
import type { FramePieces } from './tick-frames.ts';
import type { EncodedVehicle } from './vehicle-track.ts';

export interface UpdateEntry {
  readonly key: CellKey;
  readonly vehicle: EncodedVehicle;
  readonly receivedAt: number;
}
export interface RemovedEntry {
  readonly key: CellKey;
  readonly id: string;
  readonly idBytes: Uint8Array;
}

/** First index in sorted `keys` whose key is >= `key`. */
function lowerBound(keys: Int32Array, key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Entries' bytes laid end to end: at[i] is where entry i starts, at[n] the total; keys alongside. */
function layOut<E extends { readonly key: number }>(
  entries: readonly E[],
  bytesOf: (e: E) => Uint8Array,
): { keys: Int32Array; bytes: Uint8Array; at: Int32Array } {
  const n = entries.length;
  const keys = new Int32Array(n);
  const at = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    keys[i] = e.key;
    at[i + 1] = at[i]! + bytesOf(e).length;
  }
  const bytes = new Uint8Array(at[n]!);
  for (let i = 0; i < n; i++) bytes.set(bytesOf(entries[i]!), at[i]!);
  return { keys, bytes, at };
}

const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;

export class TickParts {
  /** Sorted by cell key (ties in arrival order). */
  readonly updateEntries: readonly UpdateEntry[];
  readonly removedEntries: readonly RemovedEntry[];
  private readonly updateKeys: Int32Array;
  private readonly updateAt: Int32Array;
  private readonly updateBytes: Uint8Array;
  private readonly receivedAt: Float64Array;
  private readonly removedKeys: Int32Array;
  private readonly removedAt: Int32Array;
  private readonly removedBytes: Uint8Array;
  private byId: Map<string, EncodedVehicle> | undefined;

  /** `gone`: vehicles that left the map this tick, with their removed-id entries (for follow). */
  constructor(
    updates: UpdateEntry[],
    removed: RemovedEntry[],
    private readonly gone: ReadonlyMap<string, Uint8Array>,
  ) {
    updates.sort(byKey);
    removed.sort(byKey);
    this.updateEntries = updates;
    this.removedEntries = removed;
    const u = layOut(updates, (e) => e.vehicle.record);
    this.updateKeys = u.keys;
    this.updateBytes = u.bytes;
    this.updateAt = u.at;
    this.receivedAt = new Float64Array(updates.length);
    for (let i = 0; i < updates.length; i++) this.receivedAt[i] = updates[i]!.receivedAt;
    const r = layOut(removed, (e) => e.idBytes);
    this.removedKeys = r.keys;
    this.removedBytes = r.bytes;
    this.removedAt = r.at;
  }

  get empty(): boolean {
    return this.updateEntries.length === 0 && this.removedEntries.length === 0;
  }

  /** Entry index range [from, to) of updates (or removals) with keys in [lo, hi]. */
  updateRange(lo: CellKey, hi: CellKey): [number, number] {
    return [lowerBound(this.updateKeys, lo), lowerBound(this.updateKeys, hi + 1)];
  }
  removedRange(lo: CellKey, hi: CellKey): [number, number] {
    return [lowerBound(this.removedKeys, lo), lowerBound(this.removedKeys, hi + 1)];
  }

  /** Adds everything with keys in [lo, hi] to `out`: one slice of updates, one of removals. */
  takeRange(lo: CellKey, hi: CellKey, out: FramePieces): void {
    const rk = this.removedKeys;
    if (rk.length > 0 && rk[0]! <= hi && rk[rk.length - 1]! >= lo) {
      const a = lowerBound(rk, lo);
      const b = lowerBound(rk, hi + 1);
      if (b > a) {
        out.removed.push(this.removedBytes.subarray(this.removedAt[a]!, this.removedAt[b]!));
        out.removedCount += b - a;
      }
    }
    const uk = this.updateKeys;
    if (uk.length === 0 || uk[0]! > hi || uk[uk.length - 1]! < lo) return;
    const a = lowerBound(uk, lo);
    const b = lowerBound(uk, hi + 1);
    if (b === a) return;
    out.updates.push(this.updateBytes.subarray(this.updateAt[a]!, this.updateAt[b]!));
    out.updateCount += b - a;
    const at = this.receivedAt;
    for (let i = a; i < b; i++) if (at[i]! < out.oldest) out.oldest = at[i]!;
  }

  /** This tick's record of a vehicle, if it changed (for follow). */
  updateOf(id: string): EncodedVehicle | undefined {
    this.byId ??= new Map(this.updateEntries.map((e) => [e.vehicle.id, e.vehicle]));
    return this.byId.get(id);
  }

  /** The removed-id entry of a vehicle that left the map this tick (for follow). */
  goneOf(id: string): Uint8Array | undefined {
    return this.gone.get(id);
  }
}
