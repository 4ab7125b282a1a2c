import type { DeliveryPolicy } from '../broker.ts';

/**
 * The delay (ms) to wait after failed attempt `attempt` (1-based) before the next one:
 * base = min(maxDelayMs, initialDelayMs * multiplier^(attempt-1)), then the `jitter` fraction of it is
 * randomized downwards, so the result lies in [base * (1 - jitter), base] and never exceeds maxDelayMs.
 */
export function backoffDelay(
  policy: DeliveryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const n = Math.max(1, Math.floor(attempt));
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (n - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(base * (1 - policy.jitter) + base * policy.jitter * r);
}
