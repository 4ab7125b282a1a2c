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

/**
 * Runs one delivery attempt. Never throws: resolve = ack, throw/reject = nack, and running longer than
 * `policy.handlerTimeoutMs` is a failure (HandlerTimeoutError). A timed-out handler cannot be cancelled:
 * it keeps running in the background, and its eventual outcome is ignored.
 */
export async function runHandler<T>(
  handler: Handler<T>,
  message: Message<T>,
  policy: Pick<DeliveryPolicy, 'handlerTimeoutMs'>,
): Promise<HandlerResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const running = Promise.resolve().then(() => handler(message));
    if (policy.handlerTimeoutMs > 0) {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new HandlerTimeoutError(policy.handlerTimeoutMs)),
          policy.handlerTimeoutMs,
        );
      });
      // A late rejection of the abandoned handler must not become an unhandled rejection.
      running.catch(() => {});
      await Promise.race([running, timeout]);
    } else {
      await running;
    }
    return { ok: true };
  } catch (thrown) {
    return { ok: false, error: toError(thrown) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
