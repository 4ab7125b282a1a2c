/**
 * Motion between 1 Hz updates. A track slides the drawn position from where it was drawn when an update
 * arrived to the new position over about one update interval, so nothing jumps. A correction larger
 * than SNAP_METERS (a GPS glitch, a vehicle reappearing elsewhere) snaps instead of sliding across
 * the map. Pure functions: the animation loop calls positionAt() once per vehicle per frame.
 */

export const SNAP_METERS = 400;
/** Slide durations are clamped: a gap between updates longer than this is not worth animating. */
export const MIN_SLIDE_MS = 250;
export const MAX_SLIDE_MS = 1500;

export interface Track {
  readonly fromLon: number;
  readonly fromLat: number;
  readonly toLon: number;
  readonly toLat: number;
  /** When the slide began (ms, the caller's clock). */
  readonly start: number;
  readonly duration: number;
}

export interface DrawnPosition {
  readonly lon: number;
  readonly lat: number;
}

const METERS_PER_DEGREE = 111_320;

/** Equirectangular distance: exact enough at city scale for a snap decision. */
export function approxDistanceMeters(a: DrawnPosition, b: DrawnPosition): number {
  const dx = (b.lon - a.lon) * Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180) * METERS_PER_DEGREE;
  const dy = (b.lat - a.lat) * METERS_PER_DEGREE;
  return Math.hypot(dx, dy);
}

export function stillTrack(lon: number, lat: number, now: number): Track {
  return { fromLon: lon, fromLat: lat, toLon: lon, toLat: lat, start: now, duration: 0 };
}

export function positionAt(track: Track, now: number): DrawnPosition {
  if (track.duration <= 0 || now >= track.start + track.duration)
    return { lon: track.toLon, lat: track.toLat };
  const k = Math.max(0, (now - track.start) / track.duration);
  return {
    lon: track.fromLon + (track.toLon - track.fromLon) * k,
    lat: track.fromLat + (track.toLat - track.fromLat) * k,
  };
}

export function isMoving(track: Track, now: number): boolean {
  return track.duration > 0 && now < track.start + track.duration;
}

/**
 * The track after a new position arrives at `now`. `sinceLastMs` is the time since this vehicle's
 * previous update: the slide lasts about that long, so the vehicle keeps moving until the next one.
 */
export function retarget(
  track: Track | undefined,
  lon: number,
  lat: number,
  now: number,
  sinceLastMs: number,
): Track {
  if (!track) return stillTrack(lon, lat, now);
  const drawn = positionAt(track, now);
  if (approxDistanceMeters(drawn, { lon, lat }) > SNAP_METERS) return stillTrack(lon, lat, now);
  if (drawn.lon === lon && drawn.lat === lat) return stillTrack(lon, lat, now);
  const duration = Math.min(MAX_SLIDE_MS, Math.max(MIN_SLIDE_MS, sinceLastMs));
  return { fromLon: drawn.lon, fromLat: drawn.lat, toLon: lon, toLat: lat, start: now, duration };
}
