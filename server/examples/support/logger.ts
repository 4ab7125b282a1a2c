/** The examples' logger: pino, written to stderr so stdout carries only the program's own output. */
import { destination, type Logger, pino } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function createLogger(level: (typeof LOG_LEVELS)[number], name: string): Logger {
  return pino({ level, name }, destination(2));
}
