/** A WGS84 point in GeoJSON order: longitude first, then latitude, in degrees. */
export type LonLat = readonly [lon: number, lat: number];

/** True when both are numbers inside WGS84's range (NaN and the infinities fail the comparisons). */
export function isValidLonLat(lon: number, lat: number): boolean {
  return lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}
