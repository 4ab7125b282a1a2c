import type { DeliveryPolicy } from '../broker.ts';
import { HandlerTimeoutError } from '../errors.ts';
import type { Handler, Message } from '../message.ts';

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
 * Runs one delivery attempt. Never throws: resolve = ack, throw/reject = nack, and running longer than
 * `policy.handlerTimeoutMs` is a failure (HandlerTimeoutError). A timed-out handler cannot be cancelled:
 * it keeps running in the background, and its eventual outcome is ignored. A handler that returns
 * synchronously costs no timer (the hot path of cheap handlers).
 */
export function runHandler<T>(
  handler: Handler<T>,
  message: Message<T>,
  policy: Pick<DeliveryPolicy, 'handlerTimeoutMs'>,
): Promise<HandlerResult> {
  let returned: unknown;
  try {
    returned = handler(message);
  } catch (thrown) {
    return Promise.resolve({ ok: false, error: toError(thrown) });
  }
  if (!isThenable(returned)) return Promise.resolve(OK);
  const running = returned;
  return new Promise<HandlerResult>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (policy.handlerTimeoutMs > 0) {
      timer = setTimeout(() => {
        timer = undefined;
        resolve({ ok: false, error: new HandlerTimeoutError(policy.handlerTimeoutMs) });
      }, policy.handlerTimeoutMs);
      // The watchdog alone must not keep a process alive that is otherwise done.
      timer.unref?.();
    }
    running.then(
      () => {
        if (timer) clearTimeout(timer);
        resolve(OK);
      },
      (thrown: unknown) => {
        if (timer) clearTimeout(timer);
        resolve({ ok: false, error: toError(thrown) });
      },
    );
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
