/** Kafka-specific failures; each extends the transport catalogue's TransportError (TRANSPORT_KAFKA_*). */
import { errorMessage, TransportError } from '../../errors.ts';

/** A subscription could not join its consumer group and settle its position in time. */
export class KafkaSubscribeError extends TransportError {
  constructor(topic: string, cause: unknown) {
    super(
      'TRANSPORT_KAFKA_SUBSCRIBE_FAILED',
      `kafka: subscribe to "${topic}" failed: ${errorMessage(cause)}`,
      {
        cause,
      },
    );
  }
}
