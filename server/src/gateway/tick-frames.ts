/**
 * Per-tick work for one client: collect the pieces of its one frame from the tick's shared parts
 * (no re-encoding, no copying: the frame is assembled once from these pieces). Written as plain
 * loops over arrays: it runs for every client on every tick.
 */
import type { VehicleState } from '@realtimemap/shared';
import type { CellIndex } from './cell-index.ts';
import type { ClientSession } from './client-session.ts';
import { type CellKey, COLS } from './grid.ts';
import type { TickParts, UpdateEntry } from './tick-parts.ts';

/** The pieces of one client's frame, not yet assembled. Reused from client to client (see `resetPieces`). */
export interface FramePieces {
  readonly removed: Uint8Array[];
  removedCount: number;
  readonly updates: Uint8Array[];
  updateCount: number;
  /** Arrival time of the oldest position included. */
  oldest: number;
  /** Ids in the frame (filled only when asked: for coalescing). */
  ids: string[] | undefined;
}

export function emptyPieces(withIds: boolean): FramePieces {
  return {
    removed: [],
    removedCount: 0,
    updates: [],
    updateCount: 0,
    oldest: Number.POSITIVE_INFINITY,
    ids: withIds ? [] : undefined,
  };
}

/** Empties `p` for the next client; `ids` gets a fresh array when asked (it may be kept by the caller). */
export function resetPieces(p: FramePieces, withIds: boolean): FramePieces {
  p.removed.length = 0;
  p.removedCount = 0;
  p.updates.length = 0;
  p.updateCount = 0;
  p.oldest = Number.POSITIVE_INFINITY;
  p.ids = withIds ? [] : undefined;
  return p;
}

/** Entries of keys [lo, hi] one by one: for filtered clients and for coalescing (which needs the ids). */
function takeEntries(
  client: ClientSession,
  tick: TickParts,
  lo: CellKey,
  hi: CellKey,
  out: FramePieces,
): void {
  const [ra, rb] = tick.removedRange(lo, hi);
  for (let i = ra; i < rb; i++) {
    const r = tick.removedEntries[i]!;
    out.removed.push(r.idBytes);
    out.removedCount++;
    out.ids?.push(r.id);
  }
  const [ua, ub] = tick.updateRange(lo, hi);
  for (let i = ua; i < ub; i++) takeUpdate(client, tick.updateEntries[i]!, out);
}

function takeUpdate(client: ClientSession, entry: UpdateEntry, out: FramePieces): void {
  const u = entry.vehicle;
  // A vehicle that no longer passes (its route changed) must leave the client's map.
  if (client.passes(u.mode, u.routeId, u.line)) {
    out.updates.push(u.record);
    out.updateCount++;
    if (entry.receivedAt < out.oldest) out.oldest = entry.receivedAt;
  } else if (u.id !== client.follow) {
    out.removed.push(u.idBytes);
    out.removedCount++;
  }
  out.ids?.push(u.id);
}

/** Rows a view may span before it is walked by entry rather than by row (a view of the whole world). */
const MAX_ROWS = 256;

/** Adds what `client` should get from this tick to `out`. */
export function collectForClient(
  client: ClientSession,
  tick: TickParts,
  index: CellIndex,
  out: FramePieces,
): void {
  const view = client.view;
  if (!view) return;
  // The common case (whole cells, no ids needed) takes one slice per row.
  const whole = !client.filtered && out.ids === undefined;
  for (const rect of view.rects) {
    if (rect.r1 - rect.r0 >= MAX_ROWS) {
      const lo = rect.r0 * COLS;
      const hi = rect.r1 * COLS + COLS - 1;
      const inRect = (key: CellKey) => {
        const c = key % COLS;
        return c >= rect.c0 && c <= rect.c1;
      };
      for (const r of tick.removedEntries) {
        if (r.key < lo || r.key > hi || !inRect(r.key)) continue;
        out.removed.push(r.idBytes);
        out.removedCount++;
        out.ids?.push(r.id);
      }
      const [ua, ub] = tick.updateRange(lo, hi);
      for (let i = ua; i < ub; i++) {
        const e = tick.updateEntries[i]!;
        if (inRect(e.key)) takeUpdate(client, e, out);
      }
      continue;
    }
    for (let r = rect.r0; r <= rect.r1; r++) {
      const lo = r * COLS + rect.c0;
      const hi = r * COLS + rect.c1;
      if (whole) tick.takeRange(lo, hi, out);
      else takeEntries(client, tick, lo, hi, out);
    }
  }
  const follow = client.follow;
  if (follow !== null) {
    const u = tick.updateOf(follow);
    const cell = index.get(follow);
    const alreadyIn =
      cell !== undefined &&
      view.has(cell) &&
      client.passes(u?.mode ?? 'unknown', u?.routeId ?? null, u?.line ?? null);
    if (u && !alreadyIn) {
      out.updates.push(u.record);
      out.updateCount++;
      out.ids?.push(follow);
    }
    const gone = tick.goneOf(follow);
    if (gone) {
      out.removed.push(gone);
      out.removedCount++;
      out.ids?.push(follow);
    }
  }
}

/** Does `client` select this vehicle (in a cell it sees and passing its filter, or followed)? */
export function selects(client: ClientSession, v: VehicleState, cell: CellKey): boolean {
  if (v.vehicleId === client.follow) return true;
  return !!client.view?.has(cell) && client.passes(v.mode, v.routeId, v.line);
}
