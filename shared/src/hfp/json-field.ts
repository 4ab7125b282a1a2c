/**
 * Readers for one JSON value of an HFP payload: each returns the value when it has the documented
 * type and null otherwise (missing, null, wrong type, non-finite), so one bad field never sinks a
 * message.
 */

export function numberField(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A number that some senders quote: `123` or `"123"`. */
export function numericField(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.length > 0 && v.length < 30) {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** A string the feed sometimes sends as a number (`stop`, `dir`, `desi`): kept as text. */
export function textField(v: unknown): string | null {
  if (typeof v === 'string') return v.length > 0 ? v : null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export function stringField(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** HFP's odometer sentinel for "no value" (int32 max). */
const ODO_SENTINEL = 2147483647;

export function odometerField(v: unknown): number | null {
  const n = numericField(v);
  return n === null || n === ODO_SENTINEL || n < 0 ? null : n;
}

/** `YYYY-MM-DD`; anything else (HFP's `XXX` included) is null. */
export function operatingDayField(v: unknown): string | null {
  if (typeof v !== 'string' || v.length !== 10 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45)
    return null;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return v;
}
