/**
 * The live feed's imperfections, reproduced on purpose so everything downstream is tested against
 * them. Rates are per message unless named otherwise; all tunable, malformed payloads opt-in.
 */
export interface QuirkRates {
  /** Share of VP messages never sent (GPS or modem gaps). HSL: about 3%. */
  readonly missingPosition: number;
  /** Share of messages sent twice, identical, within a few hundred ms. About 1%. */
  readonly duplicate: number;
  /** Backlog episodes per vehicle-hour: the modem holds messages, then flushes them late. */
  readonly backlogPerVehicleHour: number;
  /** Longest backlog, seconds (each episode lasts 10 s .. this). */
  readonly backlogMaxSeconds: number;
  /** Share of vehicles whose clock is off. */
  readonly clockSkewVehicles: number;
  /** Largest clock error, seconds (either way). */
  readonly clockSkewMaxSeconds: number;
  /** Share of messages with a broken payload or topic. Off by default. */
  readonly malformed: number;
  /** GPS error, metres (standard deviation of a slowly wandering offset). About 1.5. */
  readonly gpsNoiseMeters: number;
  /** Bad fixes (25-120 m off for 1-4 s) per vehicle-hour. */
  readonly badFixPerVehicleHour: number;
  /**
   * Lost fixes per vehicle-hour: for 5 s .. `noFixMaxSeconds` every message has `"lat":null,"long":null`,
   * `loc` `N/A` and the topic geohash `0////` (HSL's documented form for a missing position).
   */
  readonly noFixPerVehicleHour: number;
  readonly noFixMaxSeconds: number;
}

export const DEFAULT_QUIRKS: QuirkRates = Object.freeze({
  missingPosition: 0.03,
  duplicate: 0.01,
  backlogPerVehicleHour: 0.5,
  backlogMaxSeconds: 120,
  clockSkewVehicles: 0.02,
  clockSkewMaxSeconds: 20,
  malformed: 0,
  gpsNoiseMeters: 1.5,
  badFixPerVehicleHour: 0.3,
  noFixPerVehicleHour: 0.2,
  noFixMaxSeconds: 60,
});

/** No quirks at all: every message exactly once, on time, well formed. */
export const NO_QUIRKS: QuirkRates = Object.freeze({
  missingPosition: 0,
  duplicate: 0,
  backlogPerVehicleHour: 0,
  backlogMaxSeconds: 0,
  clockSkewVehicles: 0,
  clockSkewMaxSeconds: 0,
  malformed: 0,
  gpsNoiseMeters: 0,
  badFixPerVehicleHour: 0,
  noFixPerVehicleHour: 0,
  noFixMaxSeconds: 0,
});

export function quirkRates(overrides: Partial<QuirkRates> | undefined): QuirkRates {
  return Object.freeze({ ...DEFAULT_QUIRKS, ...overrides });
}
