/**
 * Test support: the roads and tram tracks of the OSM extract in ../shared/osm, as segments in a grid,
 * to measure how far a point is from the nearest one. Reads the file in place; null when absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type LonLat, rulerAt } from '@realtimemap/shared';
import tinyosmpbf from 'tiny-osmpbf';

export const OSM_FILE = fileURLToPath(
  new URL('../../../../shared/osm/helsinki-centre.osm.pbf', import.meta.url),
);

const ROADS = new Set([
  'motorway',
  'trunk',
  'primary',
  'secondary',
  'tertiary',
  'unclassified',
  'residential',
  'service',
  'living_street',
  'pedestrian',
  'busway',
  'bus_guideway',
  'road',
  'motorway_link',
  'trunk_link',
  'primary_link',
  'secondary_link',
  'tertiary_link',
]);

export interface OsmRoads {
  readonly bounds: { minLat: number; minLon: number; maxLat: number; maxLon: number };
  contains(p: LonLat): boolean;
  /** Metres to the nearest road or tram track (Infinity when none within ~60 m). */
  distance(p: LonLat): number;
}

const CELL = 0.0005; // ~28 m in longitude, ~55 m in latitude at 60°N

export function loadOsmRoads(): OsmRoads | null {
  if (!existsSync(OSM_FILE)) return null;
  const data = tinyosmpbf(readFileSync(OSM_FILE));
  const nodes = new Map<number, LonLat>();
  for (const e of data.elements) if (e.type === 'node') nodes.set(e.id, [e.lon, e.lat]);
  const grid = new Map<string, [LonLat, LonLat][]>();
  const key = (x: number, y: number) => `${x},${y}`;
  for (const e of data.elements) {
    if (e.type !== 'way' || !e.tags) continue;
    const isRoad = e.tags.highway !== undefined && ROADS.has(e.tags.highway);
    const isTram = e.tags.railway === 'tram';
    if (!isRoad && !isTram) continue;
    for (let i = 1; i < e.nodes.length; i++) {
      const a = nodes.get(e.nodes[i - 1]!);
      const b = nodes.get(e.nodes[i]!);
      if (!a || !b) continue;
      const x0 = Math.floor(Math.min(a[0], b[0]) / CELL);
      const x1 = Math.floor(Math.max(a[0], b[0]) / CELL);
      const y0 = Math.floor(Math.min(a[1], b[1]) / CELL);
      const y1 = Math.floor(Math.max(a[1], b[1]) / CELL);
      for (let x = x0; x <= x1; x++)
        for (let y = y0; y <= y1; y++) {
          const k = key(x, y);
          const list = grid.get(k) ?? [];
          list.push([a, b]);
          grid.set(k, list);
        }
    }
  }
  const b = data.bounds!;
  const bounds = { minLat: b.minlat, minLon: b.minlon, maxLat: b.maxlat, maxLon: b.maxlon };
  const ruler = rulerAt((b.minlat + b.maxlat) / 2);
  return {
    bounds,
    contains: (p) =>
      p[0] >= bounds.minLon && p[0] <= bounds.maxLon && p[1] >= bounds.minLat && p[1] <= bounds.maxLat,
    distance(p) {
      const cx = Math.floor(p[0] / CELL);
      const cy = Math.floor(p[1] / CELL);
      let best = Number.POSITIVE_INFINITY;
      for (let x = cx - 1; x <= cx + 1; x++)
        for (let y = cy - 1; y <= cy + 1; y++)
          for (const [s, e] of grid.get(key(x, y)) ?? [])
            best = Math.min(best, ruler.pointToSegmentDistance(p, s, e));
      return best;
    },
  };
}
