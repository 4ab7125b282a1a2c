/**
 * One grid cell's share of a tick: the vehicles that changed in it and the ids that left it, each
 * encoded once. Every client that sees the cell gets the same bytes (concatenated lazily, once).
 */
import type { TransportMode } from '@realtimemap/shared';

export interface EncodedVehicle {
  readonly id: string;
  readonly mode: TransportMode;
  readonly routeId: string | null;
  readonly line: string | null;
  /** The vehicle record (shared/src/protocol/vehicle-record.ts). */
  readonly record: Uint8Array;
  /** The id as a removed-id entry, for clients whose filter the vehicle no longer passes. */
  readonly idBytes: Uint8Array;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export class CellPart {
  readonly removedIds: string[] = [];
  readonly removedParts: Uint8Array[] = [];
  readonly updates: EncodedVehicle[] = [];
  /** Arrival time of the oldest position in this part (for entry-to-frame latency). */
  oldestReceivedAt = Number.POSITIVE_INFINITY;
  private removedBytes: Uint8Array | undefined;
  private updateBytes: Uint8Array | undefined;

  addRemoved(id: string, idBytes: Uint8Array): void {
    this.removedIds.push(id);
    this.removedParts.push(idBytes);
  }

  addUpdate(v: EncodedVehicle, receivedAt: number): void {
    this.updates.push(v);
    if (receivedAt < this.oldestReceivedAt) this.oldestReceivedAt = receivedAt;
  }

  /** All removed ids, encoded, as one buffer (computed once, shared). */
  removed(): Uint8Array {
    this.removedBytes ??= concat(this.removedParts);
    return this.removedBytes;
  }

  /** All update records as one buffer (computed once, shared). */
  updated(): Uint8Array {
    this.updateBytes ??= concat(this.updates.map((u) => u.record));
    return this.updateBytes;
  }
}
