/**
 * Incoming vehicle messages are queued here as they arrive and applied to the store together on a
 * short interval (the caller's timer), so a burst of frames costs one store pass and one redraw.
 * A snapshot makes everything queued before it obsolete.
 */
import type { BatchMessage, SnapshotMessage } from '@realtimemap/shared';
import type { VehicleStore } from './vehicle-store.ts';

export class MessageBuffer {
  private queue: (SnapshotMessage | BatchMessage)[] = [];

  push(message: SnapshotMessage | BatchMessage): void {
    if (message.type === 'snapshot') this.queue = [];
    this.queue.push(message);
  }

  get size(): number {
    return this.queue.length;
  }

  /** Applies what is queued; returns the number of vehicle updates applied. */
  flush(store: VehicleStore, now: number): number {
    if (this.queue.length === 0) return 0;
    const queued = this.queue;
    this.queue = [];
    let applied = 0;
    for (const m of queued) {
      if (m.type === 'snapshot') {
        store.applySnapshot(m.vehicles, now);
        applied += m.vehicles.length;
      } else {
        store.applyBatch(m.updates, m.removed, now);
        applied += m.updates.length;
      }
    }
    return applied;
  }
}
