/** NATS-specific failures; each extends the transport catalogue's TransportError (TRANSPORT_NATS_*). */
import { errorMessage, TransportError } from '../../internal.ts';

/**
 * JetStream redelivered a message more often than the policy allows (the last attempt crashed or
 * outlived the ack wait); it goes to dead letter without running the handler again.
 */
export class MaxDeliveriesError extends TransportError {
  constructor(deliveries: number, maxAttempts: number) {
    super(
      'TRANSPORT_NATS_MAX_DELIVERIES',
      `delivered ${deliveries} times without an ack (policy allows ${maxAttempts} attempts)`,
    );
  }
}

/** The server refused what a subscription needs (stream, consumer, subject permission, ...). */
export class NatsSubscribeError extends TransportError {
  constructor(topic: string, cause: unknown) {
    super('TRANSPORT_NATS_SUBSCRIBE_FAILED', `nats: subscribe to "${topic}" failed: ${errorMessage(cause)}`, {
      cause,
    });
  }
}

/**
 * A JetStream publish found no stream listening on its subject (the server answered 503 "no
 * responders"): none captures it (deleted?), or JetStream is not up yet after a restart. Transient.
 */
export class NoStreamError extends TransportError {
  constructor(subject: string) {
    super('TRANSPORT_NATS_NO_STREAM', `nats: no JetStream stream answered a publish to "${subject}"`);
  }
}

/** Error names (nats.js v3) that mean "try again shortly": the server is restarting or busy. */
const TRANSIENT = new Set(['TimeoutError', 'JetStreamNotEnabled', 'NoRespondersError', 'ConnectionError']);

export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof NoStreamError) return true;
  if (TRANSIENT.has(error.name)) return true;
  const noResponders = (error as { isNoResponders?: () => boolean }).isNoResponders;
  return typeof noResponders === 'function' && noResponders.call(error);
}
