/**
 * The readings handler shared by the sensor and subscriber-server examples: prints each reading,
 * after `workMs` of pretend work (so a drain on shutdown has something in flight to wait for).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Handler } from '../../src/transport/index.ts';
import { formatReading, type Reading } from './reading.ts';

export interface ReadingHandlerOptions {
  /** Prefix of each printed line, e.g. "consumer 1". */
  readonly label: string;
  readonly print: (line: string) => void;
  /** Pretend work per reading; 0 = none, and nothing is printed before it. */
  readonly workMs?: number;
  /** Called after each reading is handled. */
  readonly onHandled?: () => void;
}

export function readingHandler(options: ReadingHandlerOptions): Handler<Reading> {
  const workMs = options.workMs ?? 0;
  return async (m) => {
    if (workMs > 0) {
      options.print(`${options.label} handling ${m.id} (${workMs} ms of work)`);
      await sleep(workMs);
    }
    options.print(`${options.label} got ${formatReading(m.key, m.value)} [${m.id}]`);
    options.onHandled?.();
  };
}
