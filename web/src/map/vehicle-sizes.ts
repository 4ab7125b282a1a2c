/**
 * How big a vehicle is drawn at a zoom, in CSS pixels: one table for the shader's uniforms and the
 * click hit-test, so what can be clicked is what is drawn. Below DETAIL_MIN_ZOOM a vehicle is a plain
 * dot whose size grows with the zoom, so the whole city stays readable (3,000 dots at zoom 10 do not
 * merge into one blot); from DETAIL_MIN_ZOOM on it is a disc with heading arrow, line label and door mark.
 */

export const DETAIL_MIN_ZOOM = 12;
/** Detail mode: the disc (the arrow's tip is DISC_RADIUS + ARROW_LENGTH from the centre). */
export const DISC_RADIUS = 10.5;
export const ARROW_LENGTH = 6.5;

export interface VehicleSizes {
  /** 1 = disc + arrow + label + doors, 0 = plain dot. */
  readonly detail: 0 | 1;
  /** Radius of the dot (or the disc in detail mode), px. */
  readonly radius: number;
  /** White outline of a dot, px (none when zoomed far out, where it would only add noise). */
  readonly outline: number;
  /** Opacity of a dot: below 1 so dense areas read as denser instead of one solid blot. */
  readonly opacity: number;
  /** How far from a vehicle's centre a click still hits it, px. */
  readonly hitRadius: number;
}

function lerp(z: number, z0: number, v0: number, z1: number, v1: number): number {
  const k = Math.min(1, Math.max(0, (z - z0) / (z1 - z0)));
  return v0 + (v1 - v0) * k;
}

export function vehicleSizes(zoom: number): VehicleSizes {
  if (zoom >= DETAIL_MIN_ZOOM) {
    return {
      detail: 1,
      radius: DISC_RADIUS,
      outline: 2,
      opacity: 1,
      hitRadius: DISC_RADIUS + 4,
    };
  }
  const radius = lerp(zoom, 8, 2, DETAIL_MIN_ZOOM, 5);
  return {
    detail: 0,
    radius,
    outline: lerp(zoom, 9, 0, DETAIL_MIN_ZOOM, 1),
    opacity: lerp(zoom, 8, 0.75, DETAIL_MIN_ZOOM, 0.95),
    hitRadius: Math.max(6, radius + 3),
  };
}
