/** The network as GeoJSON for the web's offline style (`GET /api/network`). */
import type { NetworkGeoJson } from '@realtimemap/shared';
import type { Network } from './network.ts';

type Feature = NetworkGeoJson['features'][number];

/** One LineString per route direction ({ routeId, line, mode, direction, headsign }), one Point per stop. */
export function networkGeoJson(network: Network): NetworkGeoJson {
  const features: Feature[] = [];
  for (const route of network.routes) {
    for (const dir of route.directions) {
      features.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: dir.path.map(([lon, lat]) => [lon, lat] as const) },
        properties: {
          routeId: route.routeId,
          line: route.line,
          mode: route.mode,
          direction: dir.direction,
          headsign: dir.headsign,
        },
      });
    }
  }
  for (const stop of network.stops.values()) {
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [stop.lon, stop.lat] },
      properties: { stopId: stop.id, name: stop.name },
    });
  }
  return { type: 'FeatureCollection', features };
}
