/** Errors of the Redis backend (codes TRANSPORT_REDIS_*), on top of the transport catalogue. */
import { TransportError } from '../../errors.ts';

/**
 * A pending message was claimed more often than the policy's maxAttempts without ever being acked
 * (its consumers keep crashing on it): it is dead-lettered with this error instead of run again.
 */
export class RedeliveryLimitError extends TransportError {
  constructor(deliveries: number) {
    super('TRANSPORT_REDIS_REDELIVERY_LIMIT', `delivered ${deliveries} times without an ack`);
  }
}
