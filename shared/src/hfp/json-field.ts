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
