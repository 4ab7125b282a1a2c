/**
 * Ticks are spread: clients are split into groups, and every tickMs / groups one group gets its
 * frames. Each client still gets one frame per tick, but the work of a tick is cut into slices, so a
 * position waits at most one tick plus one slice's work, not one tick plus the work for every client.
 *
 * A group remembers which vehicles changed since its last frame and, for each, the cell its clients
 * last saw it in (so a vehicle that moved is removed from its old cell). At the group's turn the
 * changes become TickParts: records come from the tracks' cache (each vehicle state encoded once,
 * whatever the number of groups), laid out once per group and shared by its clients.
 */

import type { ClientSession } from './client-session.ts';
import type { CellKey } from './grid.ts';
import { type RemovedEntry, TickParts, type UpdateEntry } from './tick-parts.ts';
import type { EncodedVehicle, VehicleTrack } from './vehicle-track.ts';

export class TickGroup {
  readonly clients = new Set<ClientSession>();
  /**
   * Whole WebSocket frames for every client of the group (status, geofence notifications), sent at
   * its next turn: one burst to every client at once would hold every group's tick up (5,000 sends
   * are ~50 ms).
   */
  readonly outbox: Buffer[] = [];
  /** A heartbeat (ping, or terminate if the last one went unanswered) is due at the next turn. */
  heartbeatDue = false;
  /** Changed vehicles since this group's last frame -> the cell its clients last saw them in. */
  private readonly changed = new Map<VehicleTrack, CellKey | undefined>();
  /**
   * Other cells a changed vehicle was in since the last frame (it moved twice): a snapshot sent in
   * between may have shown it there, so those cells get its removal too.
   */
  private readonly passedThrough = new Map<VehicleTrack, CellKey[]>();

  /** A vehicle changed (or was removed); `before` is the cell it was in until this change. */
  noteChange(track: VehicleTrack, before: CellKey | undefined): void {
    const first = this.changed.get(track);
    if (first === undefined && !this.changed.has(track)) {
      this.changed.set(track, before);
      return;
    }
    if (before === undefined || before === first) return;
    let cells = this.passedThrough.get(track);
    if (!cells) {
      cells = [];
      this.passedThrough.set(track, cells);
    }
    if (!cells.includes(before)) cells.push(before);
  }

  /** Forgets the changes and what was due (a group without clients). */
  discard(): void {
    this.forgetChanges();
    this.outbox.length = 0;
    this.heartbeatDue = false;
  }

  private forgetChanges(): void {
    this.changed.clear();
    this.passedThrough.clear();
  }

  /** This group's changes as TickParts; the group starts over. */
  takeParts(encode: (track: VehicleTrack) => EncodedVehicle): TickParts {
    const updates: UpdateEntry[] = [];
    const removed: RemovedEntry[] = [];
    const gone = new Map<string, Uint8Array>();
    for (const [track, before] of this.changed) {
      const { id, idBytes, cell } = track;
      if (before !== undefined && before !== cell) removed.push({ key: before, id, idBytes });
      const through = this.passedThrough.get(track);
      if (through) for (const c of through) if (c !== cell) removed.push({ key: c, id, idBytes });
      if (cell === undefined) {
        gone.set(id, idBytes);
        continue;
      }
      updates.push({ key: cell, vehicle: encode(track), receivedAt: track.receivedAt });
    }
    this.forgetChanges();
    return new TickParts(updates, removed, gone);
  }
}
