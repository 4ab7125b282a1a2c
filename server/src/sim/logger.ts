/** The sim and feed areas log through pino (passed in) and read time from an injectable clock. */
export type { Logger } from 'pino';

/** Wall-clock source; tests inject a fake to make runs deterministic. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
