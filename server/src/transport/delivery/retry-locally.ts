import type { DeliveryPolicy } from '../broker.ts';
import type { Handler, Message } from '../message.ts';
import { backoffDelay } from './backoff.ts';
import { withAttempt } from './build-message.ts';
import { runHandler } from './run-handler.ts';
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

/**
 * The delivery policy applied in-process, for backends whose server cannot redeliver a nacked message
 * (memory, MQTT): run, and on failure wait backoffDelay() and run again with attempt + 1, up to
 * maxAttempts. The retry holds the message's place, so per-key order survives retries.
 * Starts from `message.attempt` (a server redelivery may already be past attempt 1).
 */
export async function retryLocally<T>(options: RetryLocallyOptions<T>): Promise<RetryOutcome> {
  const { handler, policy, signal } = options;
  let message = options.message;
  for (;;) {
    const result = await runHandler(handler, message, policy);
    if (result.ok) return { type: 'acked', attempts: message.attempt };
    if (message.attempt >= policy.maxAttempts) {
      return { type: 'exhausted', attempts: message.attempt, error: result.error };
    }
    const waited = await sleep(backoffDelay(policy, message.attempt, options.random), signal);
    if (!waited || signal?.aborted)
      return { type: 'aborted', attempts: message.attempt, error: result.error };
    message = withAttempt(message, message.attempt + 1);
  }
}
