import { describe, expect, it } from 'vitest';
import { COLS } from '../../src/gateway/grid.ts';
import { emptyPieces } from '../../src/gateway/tick-frames.ts';
import { type RemovedEntry, TickParts, type UpdateEntry } from '../../src/gateway/tick-parts.ts';
import type { EncodedVehicle } from '../../src/gateway/vehicle-track.ts';

const ROW = 7;
const key = (col: number, row = ROW) => row * COLS + col;
const idBytes = (id: string) => Uint8Array.from([id.length, ...Buffer.from(id)]);
const update = (col: number, id: string, record: number[], receivedAt: number, row = ROW): UpdateEntry => ({
  key: key(col, row),
  receivedAt,
  vehicle: {
    id,
    mode: 'bus',
    routeId: null,
    line: null,
    record: Uint8Array.from(record),
    idBytes: idBytes(id),
  } satisfies EncodedVehicle,
});
const removal = (col: number, id: string): RemovedEntry => ({ key: key(col), id, idBytes: idBytes(id) });
const bytes = (parts: Uint8Array[]) => [...Buffer.concat(parts.map((p) => Buffer.from(p)))];

describe('gateway: tick parts', () => {
  // Given out of order: the parts sort them by cell.
  const parts = () =>
    new TickParts(
      [
        update(9, 'd', [4, 4], 100),
        update(5, 'b', [2, 2, 2], 300),
        update(3, 'a', [1, 1], 500),
        update(5, 'c', [3], 400),
        update(4, 'e', [9], 1, ROW + 1),
      ],
      [removal(5, 'x'), removal(2, 'y')],
      new Map([['y', idBytes('y')]]),
    );

  it('gateway: the cells of a row range are one slice of updates and one of removals', () => {
    const out = emptyPieces(false);
    parts().takeRange(key(4), key(8), out);
    expect(out.updates).toHaveLength(1);
    expect(bytes(out.updates)).toEqual([2, 2, 2, 3]);
    expect(out.updateCount).toBe(2);
    expect(bytes(out.removed)).toEqual([...idBytes('x')]);
    expect(out.removedCount).toBe(1);
    expect(out.oldest).toBe(300);
  });

  it('gateway: ranges add up, other rows stay out, an empty range adds nothing', () => {
    const p = parts();
    const out = emptyPieces(false);
    p.takeRange(key(0), key(3), out);
    p.takeRange(key(4), key(COLS - 1), out);
    expect(bytes(out.updates)).toEqual([1, 1, 2, 2, 2, 3, 4, 4]);
    expect(out.updateCount).toBe(4);
    expect(out.removedCount).toBe(2);
    expect(out.oldest).toBe(100);
    const none = emptyPieces(false);
    p.takeRange(key(6), key(8), none);
    expect(none).toMatchObject({ updateCount: 0, removedCount: 0, updates: [], removed: [] });
  });

  it('gateway: follow look-ups find the changed and the gone', () => {
    const p = parts();
    expect([...p.updateOf('c')!.record]).toEqual([3]);
    expect(p.updateOf('zz')).toBeUndefined();
    expect(p.goneOf('y')).toEqual(idBytes('y'));
    expect(p.goneOf('x')).toBeUndefined();
  });
});
