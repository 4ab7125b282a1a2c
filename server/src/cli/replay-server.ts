/** A capture replay (sim/replay.ts) as a Server: starts the replay, stop() aborts it. */
import type { Logger } from 'pino';
import { replayCapture } from '../sim/replay.ts';
import type { Server } from '../transport/server.ts';

export interface ReplayServerOptions {
  readonly file: string;
  readonly mqttUrl: string;
  /** 1 = original timing; 0 = as fast as possible. */
  readonly speed: number;
  readonly logger: Logger;
}

export function replayServer(options: ReplayServerOptions): Server {
  const abort = new AbortController();
  let run: Promise<unknown> | undefined;
  const log = options.logger.child({ area: 'replay' });
  return {
    name: 'replay',
    async start() {
      run = replayCapture({
        file: options.file,
        mqttUrl: options.mqttUrl,
        speed: options.speed === 0 ? 'max' : options.speed,
        logger: log,
        signal: abort.signal,
        onProgress: (p) =>
          log.info({ sent: p.sent, percent: Math.round(p.fraction * 100) }, 'replay progress'),
      }).then(
        (stats) => log.info({ stats }, 'replay finished'),
        (error: unknown) => {
          if (!abort.signal.aborted) log.error({ err: error }, 'replay failed');
        },
      );
    },
    async stop() {
      abort.abort();
      await run;
    },
  };
}
