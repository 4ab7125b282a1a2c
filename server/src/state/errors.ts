/** The state area's error catalogue (STATE_*). */
export class StateError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The geofence GeoJSON file is unreadable or not a FeatureCollection of polygons/circles. */
export class GeofenceFileError extends StateError {
  constructor(file: string, problems: readonly string[], cause?: unknown) {
    super('STATE_GEOFENCE_FILE_INVALID', `geofence file ${file}: ${problems.join('; ')}`, { cause });
  }
}
