import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type PolygonRings, pointInPolygon } from '@realtimemap/shared';
import { describe, expect, it } from 'vitest';
import { offlineColors, offlineStyle, WATER_FADE_ZOOMS } from '../../src/map/offline-style.ts';

// The generated land polygons (web/scripts/cut-land.mjs, run by the web build; git-ignored).
const LAND_FILE = fileURLToPath(new URL('../../public/offline/land.geojson', import.meta.url));
const haveLand = existsSync(LAND_FILE);
if (!haveLand && process.env.CI === 'true') {
  throw new Error(`offline land: ${LAND_FILE} missing; the web build (scripts/cut-land.mjs) makes it`);
}

type Polygon = PolygonRings;

function loadPolygons(): Polygon[] {
  const fc = JSON.parse(readFileSync(LAND_FILE, 'utf8')) as {
    features: { geometry: { type: string; coordinates: unknown } }[];
  };
  const out: Polygon[] = [];
  for (const f of fc.features) {
    if (f.geometry.type === 'Polygon') out.push(f.geometry.coordinates as Polygon);
    else if (f.geometry.type === 'MultiPolygon') out.push(...(f.geometry.coordinates as Polygon[]));
  }
  return out;
}

function onLand(polygons: readonly Polygon[], lat: number, lon: number): boolean {
  return polygons.some((rings) => pointInPolygon([lon, lat], rings));
}

// [lat, lon]. The land points lie in built-up streets; the sea points are open water on a map reading
// (the OSM extract in shared/osm covers only ~1 x 1.7 km round the station, so it cannot confirm them).
const LAND = {
  'Railway Square': [60.171285, 24.943936],
  Kallio: [60.1826, 24.95359],
  Downtown: [60.16423, 24.94107],
  Pasila: [60.1986, 24.9335],
  Lauttasaari: [60.158536, 24.873788],
} as const;
const SEA = {
  'off Kaivopuisto': [60.15, 24.96],
  'open sea SW of Helsinki': [60.14, 24.9],
  Kruunuvuorenselkä: [60.175, 25.0],
} as const;

const landSuite = haveLand
  ? 'offline land polygons'
  : 'offline land polygons (skipped: land.geojson not generated; run the web build)';
describe.skipIf(!haveLand)(landSuite, () => {
  const polygons = haveLand ? loadPolygons() : [];

  it('offline land: known land points are inside the land polygons', () => {
    for (const [name, [lat, lon]] of Object.entries(LAND))
      expect(onLand(polygons, lat, lon), name).toBe(true);
  });

  it('offline land: known sea points are outside the land polygons', () => {
    for (const [name, [lat, lon]] of Object.entries(SEA))
      expect(onLand(polygons, lat, lon), name).toBe(false);
  });

  it('offline land: every ring is closed with at least three corners', () => {
    for (const polygon of polygons) {
      for (const ring of polygon) {
        expect(ring.length).toBeGreaterThanOrEqual(4);
        expect(ring[0]).toEqual(ring[ring.length - 1]);
      }
    }
  });
});

describe('offline style water', () => {
  for (const dark of [false, true]) {
    it(`offline style: the sea fades into land at street zooms, where the land data is too coarse (dark=${dark})`, () => {
      const { water, land } = offlineColors(dark);
      const style = offlineStyle({ origin: 'http://localhost', dark });
      const bg = style.layers.find((l) => l.id === 'water');
      const fill = style.layers.find((l) => l.id === 'land');
      expect(bg?.type).toBe('background');
      expect(fill?.type === 'fill' ? fill.paint?.['fill-color'] : undefined).toBe(land);
      const color = bg?.type === 'background' ? bg.paint?.['background-color'] : undefined;
      // ['interpolate', ['linear'], ['zoom'], z0, water, z1, land]
      expect(color).toEqual([
        'interpolate',
        ['linear'],
        ['zoom'],
        WATER_FADE_ZOOMS.from,
        water,
        WATER_FADE_ZOOMS.to,
        land,
      ]);
    });
  }
});
