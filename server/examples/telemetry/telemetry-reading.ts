/** A telemetry reading: the hygrothermograph reading plus which sensor took it and when. */
import { z } from 'zod';
import { type Codec, jsonCodec } from '../../src/transport/index.ts';
import { readingSchema } from '../sensor/reading.ts';

export const telemetryReadingSchema = readingSchema.extend({
  sensorId: z.string().min(1).max(64),
  /** When the reading was taken, ms since the epoch. */
  at: z.number().int().positive(),
});

export type TelemetryReading = z.infer<typeof telemetryReadingSchema>;

/** JSON plus a schema check: a wrong shape is a decode failure (dead letter), not a handler error. */
export const telemetryCodec: Codec<TelemetryReading> = Object.freeze({
  contentType: jsonCodec.contentType,
  encode: (value: TelemetryReading) => jsonCodec.encode(value),
  decode(bytes: Uint8Array): TelemetryReading {
    const parsed = telemetryReadingSchema.safeParse(jsonCodec.decode(bytes));
    if (parsed.success) return parsed.data;
    throw new Error(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'reading'}: ${i.message}`).join('; '),
    );
  },
});
