/**
 * Per-tick work: group changed vehicles into cell parts (each record encoded once), then assemble
 * each client's one frame from the parts of the cells it sees.
 */
import type { VehicleState } from '@realtimemap/shared';
import type { CellPart, EncodedVehicle } from './cell-part.ts';
import type { ClientSession } from './client-session.ts';
import type { CellKey } from './grid.ts';

/** What one tick produced: parts by cell, plus the tick's updates/removals by id (for follow). */
export interface TickParts {
  readonly cells: ReadonlyMap<CellKey, CellPart>;
  readonly updates: ReadonlyMap<string, EncodedVehicle>;
  readonly removed: ReadonlyMap<string, Uint8Array>;
}

/** The pieces of one client's frame, not yet assembled. */
export interface FramePieces {
  readonly removed: Uint8Array[];
  removedCount: number;
  readonly updates: Uint8Array[];
  updateCount: number;
  /** Arrival time of the oldest position included. */
  oldest: number;
  /** Ids in the frame (filled only when asked: for coalescing). */
  readonly ids: string[] | undefined;
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

/** Adds what `client` should get from this tick to `out`. */
export function collectForClient(
  client: ClientSession,
  tick: TickParts,
  cellOfVehicle: ReadonlyMap<string, CellKey>,
  out: FramePieces,
): void {
  const view = client.view;
  if (!view) return;
  const take = (part: CellPart) => {
    if (part.removedIds.length > 0) {
      out.removed.push(part.removed());
      out.removedCount += part.removedIds.length;
      out.ids?.push(...part.removedIds);
    }
    if (part.updates.length === 0) return;
    if (part.oldestReceivedAt < out.oldest) out.oldest = part.oldestReceivedAt;
    if (!client.filtered) {
      out.updates.push(part.updated());
      out.updateCount += part.updates.length;
      if (out.ids) for (const u of part.updates) out.ids.push(u.id);
      return;
    }
    for (const u of part.updates) {
      // A vehicle that no longer passes (its route changed) must leave the client's map.
      if (client.passes(u.mode, u.routeId, u.line)) {
        out.updates.push(u.record);
        out.updateCount++;
      } else if (u.id !== client.follow) {
        out.removed.push(u.idBytes);
        out.removedCount++;
      }
      out.ids?.push(u.id);
    }
  };
  if (view.count <= tick.cells.size) {
    for (const key of view.keys()) {
      const part = tick.cells.get(key);
      if (part) take(part);
    }
  } else {
    for (const [key, part] of tick.cells) if (view.has(key)) take(part);
  }
  const follow = client.follow;
  if (follow !== null) {
    const u = tick.updates.get(follow);
    const cell = cellOfVehicle.get(follow);
    const alreadyIn =
      cell !== undefined &&
      view.has(cell) &&
      client.passes(u?.mode ?? 'unknown', u?.routeId ?? null, u?.line ?? null);
    if (u && !alreadyIn) {
      out.updates.push(u.record);
      out.updateCount++;
      out.ids?.push(follow);
    }
    const gone = tick.removed.get(follow);
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
