import type { HfpRejectReason } from './reject-reason.ts';

/** A message the parser turned down: a stable reason to count by, and a short human detail to log. */
export interface HfpRejection {
  readonly ok: false;
  readonly reason: HfpRejectReason;
  readonly detail: string;
}

export function reject(reason: HfpRejectReason, detail: string): HfpRejection {
  return { ok: false, reason, detail };
}

/** Cut untrusted text before it goes into a detail (and from there into logs). */
export function excerpt(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** Tells a rejection from a parsed value on the internal paths that return either without a wrapper. */
export function isRejection(x: object): x is HfpRejection {
  return (x as { ok?: unknown }).ok === false;
}
