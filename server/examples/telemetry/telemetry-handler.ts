/** The write side's handler: a reading becomes a row keyed by its message id, written in a batch. */
import type { Handler } from '../../src/transport/index.ts';
import type { BatchWriter } from './batch-writer.ts';
import type { TelemetryReading } from './telemetry-reading.ts';

export function telemetryHandler(writer: BatchWriter): Handler<TelemetryReading> {
  // Resolves (acks) only once the row's batch is committed; a redelivery writes nothing new.
  return (m) => writer.write({ messageId: m.id, ...m.value });
}
