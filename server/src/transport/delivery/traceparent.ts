import { randomBytes } from 'node:crypto';

/** A W3C Trace Context `traceparent` header, parsed (https://www.w3.org/TR/trace-context/). */
export interface TraceContext {
  /** 32 lower-case hex digits, not all zero. */
  readonly traceId: string;
  /** The span that sent the message: 16 lower-case hex digits, not all zero. */
  readonly parentId: string;
  /** 2 hex digits; bit 0 = sampled. */
  readonly flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * The trace context in a `traceparent` value, or undefined when it is absent or malformed (a bad
 * header starts a new trace rather than failing the message). Version `ff` is invalid; a future
 * version is read by its first four fields, as the spec asks; version 00 allows nothing after them.
 */
export function parseTraceparent(value: string | undefined): TraceContext | undefined {
  if (value === undefined) return undefined;
  const m = TRACEPARENT.exec(value.trim());
  if (!m) return undefined;
  const [, version, traceId, parentId, flags, rest] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || parentId === ZERO_SPAN) return undefined;
  return { traceId, parentId, flags };
}

/**
 * A `traceparent` for a message sent now: within `parent`'s trace (same trace id and flags, a new
 * span id) or, without one, the root of a new trace (sampled flag set).
 */
export function newTraceparent(parent?: TraceContext): string {
  const span = nonZeroHex(8);
  if (parent) return `00-${parent.traceId}-${span}-${parent.flags}`;
  return `00-${nonZeroHex(16)}-${span}-01`;
}

function nonZeroHex(bytes: number): string {
  for (;;) {
    const hex = randomBytes(bytes).toString('hex');
    if (!/^0+$/.test(hex)) return hex;
  }
}
