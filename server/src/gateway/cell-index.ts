/**
 * Where every vehicle is on the grid, kept current as the store changes: its cell, and the vehicles
 * of each cell. Snapshots read the cells a viewport touches instead of scanning the whole fleet, and
 * tick groups learn the cell a vehicle was in before it moved.
 */
import type { CellKey } from './grid.ts';

export class CellIndex {
  private readonly cellOf = new Map<string, CellKey>();
  private readonly members = new Map<CellKey, Set<string>>();

  /** The vehicle's current cell (undefined: not on the grid, e.g. removed). */
  get(id: string): CellKey | undefined {
    return this.cellOf.get(id);
  }

  /** Moves the vehicle to `cell` (undefined: off the grid); returns the cell it was in. */
  move(id: string, cell: CellKey | undefined): CellKey | undefined {
    const prev = this.cellOf.get(id);
    if (prev === cell) return prev;
    if (prev !== undefined) {
      const set = this.members.get(prev)!;
      set.delete(id);
      if (set.size === 0) this.members.delete(prev);
    }
    if (cell === undefined) {
      this.cellOf.delete(id);
    } else {
      this.cellOf.set(id, cell);
      let set = this.members.get(cell);
      if (!set) {
        set = new Set();
        this.members.set(cell, set);
      }
      set.add(id);
    }
    return prev;
  }

  /** The vehicles in `cell` (empty when none). */
  vehiclesIn(cell: CellKey): ReadonlySet<string> {
    return this.members.get(cell) ?? EMPTY;
  }

  clear(): void {
    this.cellOf.clear();
    this.members.clear();
  }
}

const EMPTY: ReadonlySet<string> = new Set();
