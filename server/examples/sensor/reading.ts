/**
 * A hygrothermograph reading and its codec: the JSON codec plus a schema check, so a payload that is
 * not JSON, or JSON of the wrong shape, fails to decode and goes to dead letter instead of the handler.
 */
import { z } from 'zod';
import { type Codec, jsonCodec } from '../../src/transport/index.ts';

export const readingSchema = z
  .object({
    /** Relative humidity, percent. */
    humidity: z.number().min(0).max(100),
    /** Air temperature, degrees Celsius. */
    temperature: z.number().min(-90).max(70),
  })
  .strict();

export type Reading = z.infer<typeof readingSchema>;

export const readingCodec: Codec<Reading> = Object.freeze({
  contentType: jsonCodec.contentType,
  encode: (value: Reading) => jsonCodec.encode(value),
  decode(bytes: Uint8Array): Reading {
    const parsed = readingSchema.safeParse(jsonCodec.decode(bytes));
    if (parsed.success) return parsed.data;
    // One line per problem, not zod's multi-line dump: it ends up in the x-error header.
    throw new Error(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'reading'}: ${i.message}`).join('; '),
    );
  },
});

/** A plausible indoor reading; `random` is passed in so callers can make it deterministic. */
export function sampleReading(random: () => number = Math.random): Reading {
  return {
    humidity: Math.round((35 + random() * 30) * 10) / 10,
    temperature: Math.round((18 + random() * 8) * 10) / 10,
  };
}

export function formatReading(sensor: string | undefined, r: Reading): string {
  return `${sensor ?? '?'}: humidity ${r.humidity.toFixed(1)} %, temperature ${r.temperature.toFixed(1)} °C`;
}
