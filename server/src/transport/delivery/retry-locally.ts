import type { DeliveryPolicy } from '../broker.ts';
import type { Handler, Message } from '../message.ts';
import { backoffDelay } from './backoff.ts';
import { withAttempt } from './build-message.ts';
import { attemptHandler, type HandlerResult } from './run-handler.ts';
import { sleep } from './sleep.ts';

export type RetryOutcome =
  /** The handler succeeded on attempt `attempts`. */
  | { readonly type: 'acked'; readonly attempts: number }
  /** Every allowed attempt failed: dead-letter it with `error` and `attempts`. */
  | { readonly type: 'exhausted'; readonly attempts: number; readonly error: Error }
  /** `signal` aborted while waiting to retry (the subscription is closing): not acked. */
  | { readonly type: 'aborted'; readonly attempts: number; readonly error: Error };

export interface RetryLocallyOptions<T> {
  readonly handler: Handler<T>;
  readonly message: Message<T>;
  readonly policy: DeliveryPolicy;
  /** Aborting stops further attempts (a running attempt still finishes). */
  readonly signal?: AbortSignal;
  readonly random?: () => number;
}

const ACKED_FIRST: RetryOutcome = Object.freeze({ type: 'acked', attempts: 1 });

/**
 * The delivery policy applied in-process, for backends whose server cannot redeliver a nacked message
 * (memory, MQTT): run, and on failure wait backoffDelay() and run again with attempt + 1, up to
 * maxAttempts. The retry holds the message's place, so per-key order survives retries.
 * Starts from `message.attempt` (a server redelivery may already be past attempt 1).
 */
export async function retryLocally<T>(options: RetryLocallyOptions<T>): Promise<RetryOutcome> {
  return deliverLocally(options);
}

/**
 * retryLocally() with the first attempt run synchronously: when the handler returns without a
 * promise and succeeds, the outcome comes back at once (no promise, no timer, no allocation), so a
 * backend can finish a delivery and free its slot in the same turn. A failed or asynchronous attempt
 * continues as retryLocally() describes (same backoff, attempts, timeout, abort).
 */
export function deliverLocally<T>(options: RetryLocallyOptions<T>): RetryOutcome | Promise<RetryOutcome> {
  return continueLocally(options, attemptHandler(options.handler, options.message, options.policy));
}

/**
 * deliverLocally() once its first attempt has run: for a backend that calls attemptHandler() itself,
 * so a synchronous success costs it no options object.
 */
export function continueLocally<T>(
  options: RetryLocallyOptions<T>,
  result: HandlerResult | Promise<HandlerResult>,
): RetryOutcome | Promise<RetryOutcome> {
  if (result instanceof Promise) return result.then((r) => afterAttempt(options, r));
  const attempt = options.message.attempt;
  if (result.ok) return attempt === 1 ? ACKED_FIRST : { type: 'acked', attempts: attempt };
  return afterAttempt(options, result);
}

/** What follows an attempt: acked, exhausted, or a backoff wait and the next attempt. */
async function afterAttempt<T>(
  options: RetryLocallyOptions<T>,
  result: HandlerResult,
): Promise<RetryOutcome> {
  const { message, policy, signal } = options;
  if (result.ok) return { type: 'acked', attempts: message.attempt };
  if (message.attempt >= policy.maxAttempts) {
    return { type: 'exhausted', attempts: message.attempt, error: result.error };
  }
  const waited = await sleep(backoffDelay(policy, message.attempt, options.random), signal);
  if (!waited || signal?.aborted) return { type: 'aborted', attempts: message.attempt, error: result.error };
  return deliverLocally({ ...options, message: withAttempt(message, message.attempt + 1) });
}
