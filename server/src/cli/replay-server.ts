/** The replay of a capture (sim/replay.ts) as a Server of the all-in-one process. */
import type { Logger } from 'pino';
import type { Server } from '../transport/server.ts';
import { optionalModule } from './optional-module.ts';

interface ReplayModule {
  replayCapture(options: { file: string; mqttUrl: string; speed: number; logger: Logger }): unknown;
}

export function replayServer(options: {
  file: string;
  mqttUrl: string;
  speed: number;
  logger: Logger;
}): Server {
  let running: unknown;
  return {
    name: 'replay',
    async start() {
      const mod = await optionalModule<ReplayModule>('../sim/replay.ts', 'replay');
      const log = options.logger.child({ area: 'replay' });
      running = mod.replayCapture({ ...options, logger: log });
      // replayCapture may be a Server, a promise of the run, or both.
      const r = running as Partial<Server> & Partial<Promise<unknown>>;
      if (typeof r.start === 'function') await r.start();
      else if (typeof r.then === 'function') {
        r.then(
          (summary) => log.info({ summary }, 'replay finished'),
          (error: unknown) => log.error({ err: error }, 'replay failed'),
        );
      }
    },
    async stop() {
      const r = running as Partial<Server> | undefined;
      if (r && typeof r.stop === 'function') await r.stop();
    },
  };
}
