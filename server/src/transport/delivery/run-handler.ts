import type { DeliveryPolicy } from '../broker.ts';
import { HandlerTimeoutError } from '../errors.ts';
import type { Handler, Message } from '../message.ts';
import { DeadlineSweep } from './deadline-sweep.ts';

export type HandlerResult = { readonly ok: true } | { readonly ok: false; readonly error: Error };

/** Anything thrown, as an Error (a thrown string or object keeps its text). */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : safeStringify(thrown));
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const OK: HandlerResult = Object.freeze({ ok: true });

/**
 * Every handler run's timeout on one shared timer (a setTimeout per run cost more than many cheap
 * handlers). Lazily armed, unref'd: importing this module starts nothing.
 */
const handlerDeadlines = new DeadlineSweep();

/**
 * One delivery attempt, synchronous when the handler is: a handler that returns without a promise
 * (or throws) gives its result at once, with no promise and no timer (the hot path of cheap
 * handlers). A handler that returns a promise gives a promise of its result, watched by
 * `policy.handlerTimeoutMs` (see runHandler). Never throws.
 */
export function attemptHandler<T>(
  handler: Handler<T>,
  message: Message<T>,
  policy: Pick<DeliveryPolicy, 'handlerTimeoutMs'>,
): HandlerResult | Promise<HandlerResult> {
  let returned: unknown;
  try {
    returned = handler(message);
  } catch (thrown) {
    return { ok: false, error: toError(thrown) };
  }
  if (!isThenable(returned)) return OK;
  return watch(returned, policy.handlerTimeoutMs);
}

/**
 * Runs one delivery attempt. Never throws: resolve = ack, throw/reject = nack, and running longer than
 * `policy.handlerTimeoutMs` is a failure (HandlerTimeoutError). A timed-out handler cannot be cancelled:
 * it keeps running in the background, and its eventual outcome is ignored.
 */
export function runHandler<T>(
  handler: Handler<T>,
  message: Message<T>,
  policy: Pick<DeliveryPolicy, 'handlerTimeoutMs'>,
): Promise<HandlerResult> {
  const result = attemptHandler(handler, message, policy);
  return result instanceof Promise ? result : Promise.resolve(result);
}

/** The outcome of a running handler, or a HandlerTimeoutError once `timeoutMs` passes (0 = no limit). */
function watch(running: PromiseLike<unknown>, timeoutMs: number): Promise<HandlerResult> {
  if (!(timeoutMs > 0)) return Promise.resolve(running).then(() => OK, failed);
  return new Promise<HandlerResult>((resolve) => {
    let settled = false;
    const deadline = handlerDeadlines.watch(timeoutMs, () => {
      settled = true;
      resolve({ ok: false, error: new HandlerTimeoutError(timeoutMs) });
    });
    running.then(
      () => {
        if (settled) return;
        deadline.cancel();
        resolve(OK);
      },
      (thrown: unknown) => {
        if (settled) return;
        deadline.cancel();
        resolve(failed(thrown));
      },
    );
  });
}

function failed(thrown: unknown): HandlerResult {
  return { ok: false, error: toError(thrown) };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    value !== undefined &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
