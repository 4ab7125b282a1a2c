/** The `--backend` / `--url` / `--log-level` options every broker example shares. */
import { z } from 'zod';
import { BACKENDS } from '../../src/transport/index.ts';
import type { OptionSpec } from './cli.ts';
import { LOG_LEVELS } from './logger.ts';

export const brokerOptionSpec = {
  backend: { type: 'string', default: 'memory' },
  url: { type: 'string' },
  'log-level': { type: 'string', default: 'error' },
} as const satisfies OptionSpec;

export const brokerOptionSchema = {
  backend: z.enum(BACKENDS),
  url: z.string().min(1).optional(),
  'log-level': z.enum(LOG_LEVELS),
};

export const brokerUsage = `  --backend <name>   ${BACKENDS.join(' | ')} (default memory)
  --url <url>        the server, e.g. mqtt://127.0.0.1:1883 (default: the backend's local default)
  --log-level <lvl>  pino level for the log on stderr (default error)`;

/** A positive-integer option given as a string. */
export const intOption = (min: number) => z.coerce.number().int().min(min);
