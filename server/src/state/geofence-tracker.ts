/**
 * Which vehicles are inside which geofence; turns positions into enter/exit events. Pure apart from
 * its own membership map: the caller publishes the events.
 */
import { distanceMeters, type Geofence, type GeofenceEvent, pointInPolygon } from '@realtimemap/shared';

interface Compiled {
  readonly fence: Geofence;
  readonly contains: (lon: number, lat: number) => boolean;
}

function compile(fence: Geofence): Compiled {
  const g = fence.geometry;
  if (g.type === 'circle') {
    const [clon, clat] = g.center;
    // Cheap reject before measuring: a degree of latitude is ~111 km.
    const dLat = g.radiusMeters / 111_000;
    const dLon = dLat / Math.cos((clat * Math.PI) / 180);
    return {
      fence,
      contains: (lon, lat) =>
        Math.abs(lat - clat) <= dLat &&
        Math.abs(lon - clon) <= dLon &&
        distanceMeters([lon, lat], g.center) <= g.radiusMeters,
    };
  }
  let w = Number.POSITIVE_INFINITY;
  let s = Number.POSITIVE_INFINITY;
  let e = Number.NEGATIVE_INFINITY;
  let n = Number.NEGATIVE_INFINITY;
  for (const [lon, lat] of g.coordinates[0] ?? []) {
    w = Math.min(w, lon);
    e = Math.max(e, lon);
    s = Math.min(s, lat);
    n = Math.max(n, lat);
  }
  return {
    fence,
    contains: (lon, lat) =>
      lon >= w && lon <= e && lat >= s && lat <= n && pointInPolygon([lon, lat], g.coordinates),
  };
}

export interface TrackedPosition {
  readonly vehicleId: string;
  readonly operatorId: string;
  readonly line: string | null;
  readonly lat: number;
  readonly lon: number;
  readonly eventTime: number;
}

export class GeofenceTracker {
  private readonly compiled: readonly Compiled[];
  /** vehicle id -> geofence ids it is inside. */
  private readonly inside = new Map<string, Set<string>>();
  private readonly last = new Map<string, TrackedPosition>();

  constructor(readonly geofences: readonly Geofence[]) {
    this.compiled = geofences.map(compile);
  }

  /** Enter and exit events caused by this position (newest position of the vehicle). */
  evaluate(p: TrackedPosition): GeofenceEvent[] {
    const events: GeofenceEvent[] = [];
    let current = this.inside.get(p.vehicleId);
    for (const { fence, contains } of this.compiled) {
      const now = contains(p.lon, p.lat);
      const was = current?.has(fence.id) ?? false;
      if (now === was) continue;
      if (!current) {
        current = new Set();
        this.inside.set(p.vehicleId, current);
      }
      if (now) current.add(fence.id);
      else current.delete(fence.id);
      events.push(this.event(now ? 'enter' : 'exit', fence, p));
    }
    if (current?.size === 0) this.inside.delete(p.vehicleId);
    this.last.set(p.vehicleId, p);
    return events;
  }

  /** The vehicle is gone: it exits every geofence it was in. */
  remove(vehicleId: string, time: number): GeofenceEvent[] {
    const current = this.inside.get(vehicleId);
    const p = this.last.get(vehicleId);
    this.inside.delete(vehicleId);
    this.last.delete(vehicleId);
    if (!current || !p) return [];
    return this.compiled
      .filter((c) => current.has(c.fence.id))
      .map((c) => this.event('exit', c.fence, { ...p, eventTime: time }));
  }

  /** Vehicle ids inside a geofence. */
  vehiclesIn(geofenceId: string): string[] {
    const ids: string[] = [];
    for (const [vehicleId, fences] of this.inside) if (fences.has(geofenceId)) ids.push(vehicleId);
    return ids.sort();
  }

  private event(kind: 'enter' | 'exit', fence: Geofence, p: TrackedPosition): GeofenceEvent {
    return {
      kind,
      geofenceId: fence.id,
      geofenceName: fence.name,
      vehicleId: p.vehicleId,
      operatorId: p.operatorId,
      line: p.line,
      time: p.eventTime,
    };
  }
}
