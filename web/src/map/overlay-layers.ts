/**
 * The app's own sources and layers (vehicles, trail, geofences, the user's position), added on top of
 * whichever base style is loaded, again after every style switch. Text is drawn as canvas images
 * (see canvas-images.ts), so these layers need no glyphs.
 */
import type { FeatureCollection } from 'geojson';
import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { MODE_COLORS } from './mode-colors.ts';

export const VEHICLE_SOURCE = 'vehicles';
export const TRAIL_SOURCE = 'trail';
export const GEOFENCE_SOURCE = 'geofences';
export const USER_SOURCE = 'user-position';
/** Below this zoom vehicles are plain dots so the whole city stays readable. */
export const SYMBOL_MIN_ZOOM = 12;
export const VEHICLE_LAYERS = ['veh-dot', 'veh-icon', 'veh-label'];

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export function modeColorExpression(property: string): ExpressionSpecification {
  return [
    'match',
    ['get', property],
    'tram',
    MODE_COLORS.tram,
    'train',
    MODE_COLORS.train,
    'metro',
    MODE_COLORS.metro,
    'ferry',
    MODE_COLORS.ferry,
    MODE_COLORS.bus,
  ];
}

export function installOverlays(map: MapLibreMap, attribution: string): void {
  if (map.getSource(VEHICLE_SOURCE)) return;
  map.addSource(GEOFENCE_SOURCE, { type: 'geojson', data: EMPTY });
  map.addSource(TRAIL_SOURCE, { type: 'geojson', data: EMPTY });
  map.addSource(USER_SOURCE, { type: 'geojson', data: EMPTY });
  map.addSource(VEHICLE_SOURCE, { type: 'geojson', data: EMPTY, attribution, buffer: 16, maxzoom: 16 });

  map.addLayer({
    id: 'geofence-fill',
    type: 'fill',
    source: GEOFENCE_SOURCE,
    paint: { 'fill-color': '#d4a017', 'fill-opacity': 0.1 },
  });
  map.addLayer({
    id: 'geofence-line',
    type: 'line',
    source: GEOFENCE_SOURCE,
    paint: { 'line-color': '#b8860b', 'line-width': 1.5, 'line-dasharray': [3, 2] },
  });
  map.addLayer({
    id: 'geofence-label',
    type: 'symbol',
    source: GEOFENCE_SOURCE,
    minzoom: 12,
    layout: { 'icon-image': ['get', 'label'], 'symbol-placement': 'point', 'icon-allow-overlap': false },
  });
  map.addLayer({
    id: 'trail-line',
    type: 'line',
    source: TRAIL_SOURCE,
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': '#e4007c', 'line-width': 3.5, 'line-opacity': 0.85 },
  });
  map.addLayer({
    id: 'veh-fav-ring',
    type: 'circle',
    source: VEHICLE_SOURCE,
    filter: ['==', ['get', 'fav'], true],
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 6, SYMBOL_MIN_ZOOM, 15],
      'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-color': '#FFC20E',
      'circle-stroke-width': 3,
    },
  });
  map.addLayer({
    id: 'veh-selected-ring',
    type: 'circle',
    source: VEHICLE_SOURCE,
    filter: ['==', ['get', 'selected'], true],
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 8, SYMBOL_MIN_ZOOM, 19],
      'circle-color': 'rgba(228,0,124,0.15)',
      'circle-stroke-color': '#e4007c',
      'circle-stroke-width': 2.5,
    },
  });
  map.addLayer({
    id: 'veh-dot',
    type: 'circle',
    source: VEHICLE_SOURCE,
    maxzoom: SYMBOL_MIN_ZOOM,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 2, SYMBOL_MIN_ZOOM, 4.5],
      'circle-color': ['get', 'color'],
      'circle-opacity': ['case', ['get', 'stale'], 0.4, 0.95],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 9, 0, SYMBOL_MIN_ZOOM, 1],
    },
  });
  map.addLayer({
    id: 'veh-icon',
    type: 'symbol',
    source: VEHICLE_SOURCE,
    minzoom: SYMBOL_MIN_ZOOM,
    layout: {
      'icon-image': ['get', 'icon'],
      'icon-rotate': ['get', 'heading'],
      'icon-rotation-alignment': 'map',
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
    },
    paint: { 'icon-opacity': ['case', ['get', 'stale'], 0.4, 1] },
  });
  map.addLayer({
    id: 'veh-label',
    type: 'symbol',
    source: VEHICLE_SOURCE,
    minzoom: SYMBOL_MIN_ZOOM,
    layout: {
      'icon-image': ['get', 'label'],
      'icon-rotation-alignment': 'viewport',
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
    },
    paint: { 'icon-opacity': ['case', ['get', 'stale'], 0.5, 1] },
  });
  map.addLayer({
    id: 'veh-doors',
    type: 'circle',
    source: VEHICLE_SOURCE,
    minzoom: SYMBOL_MIN_ZOOM,
    filter: ['==', ['get', 'doors'], true],
    paint: {
      'circle-radius': 4,
      'circle-color': '#FFD200',
      'circle-stroke-color': '#333333',
      'circle-stroke-width': 1,
      'circle-translate': [10, -10],
      'circle-translate-anchor': 'viewport',
    },
  });
  map.addLayer({
    id: 'user-position',
    type: 'circle',
    source: USER_SOURCE,
    paint: {
      'circle-radius': 7,
      'circle-color': '#1a73e8',
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 3,
    },
  });
}
