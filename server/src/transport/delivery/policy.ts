import type { DeliveryPolicy } from '../broker.ts';
import { InvalidOptionError } from '../errors.ts';

/** The defaults every backend uses when a subscription gives no policy (or only part of one). */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = Object.freeze({
  maxAttempts: 5,
  initialDelayMs: 100,
  maxDelayMs: 10_000,
  multiplier: 2,
  jitter: 0.2,
  deadLetterTopic: undefined,
  handlerTimeoutMs: 30_000,
});

/** Suffix of the default dead-letter topic: `<topic>.dlq`. */
export const DEAD_LETTER_SUFFIX = '.dlq';

/**
 * Fills a partial policy with the defaults and validates it once; the result is frozen.
 * Throws InvalidOptionError listing every problem together.
 */
export function resolvePolicy(partial?: Partial<DeliveryPolicy>): DeliveryPolicy {
  const merged: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY };
  if (partial) {
    for (const [k, v] of Object.entries(partial)) {
      // An explicit `undefined` keeps the default rather than erasing it.
      if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
    }
  }
  const problems: string[] = [];
  if (!Number.isInteger(merged.maxAttempts) || merged.maxAttempts < 1)
    problems.push('maxAttempts must be an integer >= 1');
  if (!(merged.initialDelayMs >= 0)) problems.push('initialDelayMs must be >= 0');
  if (!(merged.maxDelayMs >= 0)) problems.push('maxDelayMs must be >= 0');
  if (!(merged.multiplier >= 1)) problems.push('multiplier must be >= 1');
  if (!(merged.jitter >= 0 && merged.jitter <= 1)) problems.push('jitter must be within 0..1');
  if (!(merged.handlerTimeoutMs >= 0)) problems.push('handlerTimeoutMs must be >= 0 (0 = no limit)');
  const dlt = merged.deadLetterTopic;
  if (dlt !== undefined && dlt !== false && (typeof dlt !== 'string' || dlt.length === 0)) {
    problems.push('deadLetterTopic must be a non-empty string, false or undefined');
  }
  if (problems.length > 0) throw new InvalidOptionError(`invalid delivery policy: ${problems.join('; ')}`);
  return Object.freeze(merged);
}

/** Where a message from `topic` is dead-lettered under `policy`, or undefined when the policy drops them. */
export function deadLetterTopicFor(policy: DeliveryPolicy, topic: string): string | undefined {
  if (policy.deadLetterTopic === false) return undefined;
  return policy.deadLetterTopic ?? `${topic}${DEAD_LETTER_SUFFIX}`;
}
