/**
 * Reconnect delay for attempt n (0-based): exponential from `baseMs`, capped at `maxMs`, with up to
 * `jitter` of it randomised away so a restarted server is not hit by every tab in the same instant.
 * Never gives up: the caller retries forever.
 */
export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  baseMs = 500,
  maxMs = 15_000,
  jitter = 0.3,
): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(raw * (1 - jitter * random()));
}
