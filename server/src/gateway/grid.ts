/**
 * The fixed grid the gateway batches by. A cell is 0.02° of longitude by 0.01° of latitude (about
 * 1.1 km square in Helsinki); a viewport is the rectangle(s) of cells it touches.
 */
import type { BBox } from '@realtimemap/shared';

export const CELL_LON = 0.02;
export const CELL_LAT = 0.01;
/** Columns of the grid (a cell key is row * COLS + column). */
export const COLS = Math.round(360 / CELL_LON);
const ROWS = Math.round(180 / CELL_LAT);

export type CellKey = number;

/** About 90 x 45 km in Helsinki: beyond that a view is checked against the cells that have news. */
const MAX_KEY_LIST = 4096;

const col = (lon: number) => Math.min(COLS - 1, Math.max(0, Math.floor((lon + 180) / CELL_LON)));
const row = (lat: number) => Math.min(ROWS - 1, Math.max(0, Math.floor((lat + 90) / CELL_LAT)));

export function cellOf(lon: number, lat: number): CellKey {
  return row(lat) * COLS + col(lon);
}

/** Inclusive ranges of cell columns and rows. */
export interface CellRect {
  readonly c0: number;
  readonly c1: number;
  readonly r0: number;
  readonly r1: number;
}

/** The cells a viewport touches: one rectangle, two when it crosses the antimeridian. */
export class CellView {
  readonly rects: readonly CellRect[];
  readonly count: number;
  /**
   * Every cell key of the view, row by row, when there are at most MAX_KEY_LIST (computed once:
   * ticks walk it for every client); larger views are checked cell by cell with `has`.
   */
  readonly keyList: readonly CellKey[] | undefined;

  constructor(bbox: BBox) {
    const [w, s, e, n] = bbox;
    const r0 = row(s);
    const r1 = row(n);
    this.rects =
      w <= e
        ? [{ c0: col(w), c1: col(e), r0, r1 }]
        : [
            { c0: col(w), c1: COLS - 1, r0, r1 },
            { c0: 0, c1: col(e), r0, r1 },
          ];
    this.count = this.rects.reduce((sum, r) => sum + (r.c1 - r.c0 + 1) * (r.r1 - r.r0 + 1), 0);
    this.keyList = this.count <= MAX_KEY_LIST ? [...this.keys()] : undefined;
  }

  has(key: CellKey): boolean {
    const r = Math.floor(key / COLS);
    const c = key - r * COLS;
    for (const rect of this.rects) {
      if (r >= rect.r0 && r <= rect.r1 && c >= rect.c0 && c <= rect.c1) return true;
    }
    return false;
  }

  *keys(): IterableIterator<CellKey> {
    for (const rect of this.rects) {
      for (let r = rect.r0; r <= rect.r1; r++) {
        for (let c = rect.c0; c <= rect.c1; c++) yield r * COLS + c;
      }
    }
  }
}
