/**
 * Geofence definitions: the six circles of the kratos-realtimemap / realtimemap-dotnet demos, plus
 * polygons (or circles: a Point with a `radius` property in metres) from a GeoJSON file.
 */
import { readFile } from 'node:fs/promises';
import type { Geofence } from '@realtimemap/shared';
import { z } from 'zod';
import { GeofenceFileError } from './errors.ts';

const circle = (id: string, name: string, lat: number, lon: number, radiusMeters: number): Geofence =>
  Object.freeze({
    id,
    name,
    geometry: Object.freeze({ type: 'circle' as const, center: [lon, lat] as const, radiusMeters }),
  });

export const DEFAULT_GEOFENCES: readonly Geofence[] = Object.freeze([
  circle('airport', 'Airport', 60.31146, 24.96907, 2000),
  circle('downtown', 'Downtown', 60.16423, 24.94107, 1700),
  circle('railway-square', 'Railway Square', 60.171285, 24.943936, 150),
  circle('lauttasaari', 'Lauttasaari', 60.158536, 24.873788, 1400),
  circle('laajasalo', 'Laajasalo', 60.16956, 25.05285, 2200),
  circle('kallio', 'Kallio', 60.1826, 24.95359, 600),
]);

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z.array(position).min(3);
const feature = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  properties: z.record(z.unknown()).nullable().optional(),
  geometry: z.discriminatedUnion('type', [
    z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
    z.object({ type: z.literal('Point'), coordinates: position }),
  ]),
});
const collection = z.object({ type: z.literal('FeatureCollection'), features: z.array(feature) });

/** Pure: geofences from parsed GeoJSON, or the list of problems. */
export function geofencesFromGeoJson(
  json: unknown,
): { ok: true; geofences: Geofence[] } | { ok: false; problems: string[] } {
  const parsed = collection.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    };
  }
  const geofences: Geofence[] = [];
  const problems: string[] = [];
  parsed.data.features.forEach((f, index) => {
    const props = f.properties ?? {};
    const id = String(f.id ?? props.id ?? `geofence-${index + 1}`);
    const name = typeof props.name === 'string' ? props.name : id;
    const g = f.geometry;
    if (g.type === 'Point') {
      const radius = props.radius;
      if (typeof radius !== 'number' || !(radius > 0)) {
        problems.push(`features.${index}: a Point needs a positive "radius" property (metres)`);
        return;
      }
      geofences.push({ id, name, geometry: { type: 'circle', center: g.coordinates, radiusMeters: radius } });
    } else if (g.type === 'Polygon') {
      geofences.push({ id, name, geometry: { type: 'polygon', coordinates: g.coordinates } });
    } else {
      g.coordinates.forEach((rings, part) => {
        geofences.push({
          id: g.coordinates.length > 1 ? `${id}-${part + 1}` : id,
          name,
          geometry: { type: 'polygon', coordinates: rings },
        });
      });
    }
  });
  const ids = new Set<string>();
  for (const g of geofences) {
    if (ids.has(g.id)) problems.push(`duplicate geofence id "${g.id}"`);
    ids.add(g.id);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, geofences };
}

/** The default circles plus those of `file` (when given). Throws GeofenceFileError. */
export async function loadGeofences(file: string | undefined): Promise<readonly Geofence[]> {
  if (!file) return DEFAULT_GEOFENCES;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new GeofenceFileError(file, [error instanceof Error ? error.message : String(error)], error);
  }
  const result = geofencesFromGeoJson(json);
  if (!result.ok) throw new GeofenceFileError(file, result.problems);
  const defaults = new Set(DEFAULT_GEOFENCES.map((g) => g.id));
  const clash = result.geofences.filter((g) => defaults.has(g.id)).map((g) => `id "${g.id}" is a default`);
  if (clash.length > 0) throw new GeofenceFileError(file, clash);
  return Object.freeze([...DEFAULT_GEOFENCES, ...result.geofences]);
}
