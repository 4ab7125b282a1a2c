/**
 * JetStream stream and consumer names allow only letters, digits, `_` and `-`; topics and group
 * names may hold anything. A name that had to be changed gets a short hash so two topics never
 * collide on the same stream or consumer.
 */
import { patternProblem } from '../../internal.ts';

const SAFE = /^[A-Za-z0-9_-]+$/;
const MAX = 200;

export function natsName(raw: string): string {
  if (SAFE.test(raw) && raw.length <= MAX) return raw;
  const cleaned = raw.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, MAX - 9);
  return `${cleaned}_${fnv1a(raw)}`;
}

/** The auto-created stream for one topic. */
export function streamNameFor(prefix: string, topic: string): string {
  return natsName(`${prefix}_${topic}`);
}

/** 32-bit FNV-1a as 8 hex digits: stable across processes, enough to separate sanitized names. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Why `topic` cannot be a NATS subject (portable rules plus no whitespace), or undefined. */
export function subjectProblem(topic: string): string | undefined {
  if (/\s/.test(topic)) return `topic "${topic}" contains whitespace`;
  return patternProblem(topic);
}
