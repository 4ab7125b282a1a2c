/**
 * The transport layer's error catalogue: one class per failure, a stable code each (TRANSPORT_*),
 * `cause` chained. test/transport/errors.test.ts keeps codes unique and documented.
 */
export class TransportError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Publish or subscribe on a broker that is closed (or closing). */
export class BrokerClosedError extends TransportError {
  constructor(what: string) {
    super('TRANSPORT_CLOSED', `${what}: the broker is closed`);
  }
}

/** connect() failed. */
export class ConnectError extends TransportError {
  constructor(backend: string, cause: unknown) {
    super('TRANSPORT_CONNECT_FAILED', `${backend}: could not connect: ${errorMessage(cause)}`, { cause });
  }
}

/** The backend did not take a published message (no ack / confirm, or an error from the server). */
export class PublishError extends TransportError {
  constructor(backend: string, topic: string, cause: unknown) {
    super('TRANSPORT_PUBLISH_FAILED', `${backend}: publish to "${topic}" failed: ${errorMessage(cause)}`, {
      cause,
    });
  }
}

/** Payload bytes that the codec could not decode. Such messages go straight to dead letter. */
export class DecodeError extends TransportError {
  constructor(contentType: string, cause: unknown) {
    super('TRANSPORT_DECODE_FAILED', `cannot decode ${contentType} payload: ${errorMessage(cause)}`, {
      cause,
    });
  }
}

/** A handler ran longer than its policy's handlerTimeoutMs; counts as a failed attempt. */
export class HandlerTimeoutError extends TransportError {
  constructor(timeoutMs: number) {
    super('TRANSPORT_HANDLER_TIMEOUT', `handler did not finish within ${timeoutMs} ms`);
  }
}

/** Options that make no sense (negative maxInFlight, group on a backend without groups, ...). */
export class InvalidOptionError extends TransportError {
  constructor(message: string) {
    super('TRANSPORT_INVALID_OPTION', message);
  }
}

/** The backend lacks a capability the call needs. */
export class UnsupportedError extends TransportError {
  constructor(backend: string, what: string) {
    super('TRANSPORT_UNSUPPORTED', `${backend} does not support ${what}`);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A bounded queue is full and the caller asked to be told rather than to wait (memory `overflow: 'reject'`). */
export class QueueFullError extends TransportError {
  constructor(what: string, capacity: number) {
    super('TRANSPORT_QUEUE_FULL', `${what}: queue full (capacity ${capacity})`);
  }
}

/** A drain (close / stop) did not finish within its deadline; whatever was still running was abandoned. */
export class DeadlineError extends TransportError {
  constructor(what: string, deadlineMs: number) {
    super('TRANSPORT_DEADLINE_EXCEEDED', `${what} did not finish within ${deadlineMs} ms`);
  }
}
