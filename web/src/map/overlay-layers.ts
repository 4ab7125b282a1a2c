/**
 * The app's own sources and layers (trail, geofences, the user's position, and the vehicles' GL layer),
 * added on top of whichever base style is loaded, again after every style switch. Text is drawn as
 * canvas images (see canvas-images.ts), so these layers need no glyphs.
 */
import type { FeatureCollection } from 'geojson';
import type { CustomLayerInterface, ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { MODE_COLORS } from './mode-colors.ts';

export const TRAIL_SOURCE = 'trail';
export const GEOFENCE_SOURCE = 'geofences';
export const USER_SOURCE = 'user-position';

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

/**
 * Adds the overlays once per style. The vehicle attribution rides on the geofence source: the vehicle
 * layer is a custom GL layer, and custom layers carry no attribution of their own.
 */
export function installOverlays(
  map: MapLibreMap,
  vehicles: CustomLayerInterface | null,
  attribution: string,
): void {
  if (map.getSource(GEOFENCE_SOURCE)) return;
  map.addSource(GEOFENCE_SOURCE, { type: 'geojson', data: EMPTY, attribution });
  map.addSource(TRAIL_SOURCE, { type: 'geojson', data: EMPTY });
  map.addSource(USER_SOURCE, { type: 'geojson', data: EMPTY });

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
  // The vehicles' GL layer (when they are drawn in the map) above the trail, below the user's position.
  if (vehicles) map.addLayer(vehicles);
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
