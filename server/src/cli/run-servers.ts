/**
 * Process lifecycle: start servers in order, stop them in reverse on SIGINT/SIGTERM (a second signal
 * exits at once). Kept here, small, until the transport App (server/src/transport/app) can take over.
 */
import type { Logger } from 'pino';
import type { Server } from '../transport/server.ts';

export interface Running {
  /** Stops everything started, in reverse order; safe to call twice. */
  stop(): Promise<void>;
}

export async function startServers(servers: readonly Server[], logger: Logger): Promise<Running> {
  const started: Server[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const server of [...started].reverse()) {
        try {
          await server.stop();
          logger.debug({ server: server.name }, 'stopped');
        } catch (error) {
          logger.error({ err: error, server: server.name }, 'stop failed');
        }
      }
    })();
    return stopping;
  };
  try {
    for (const server of servers) {
      await server.start();
      started.push(server);
      logger.debug({ server: server.name }, 'started');
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

/** Runs until SIGINT/SIGTERM, then stops cleanly and resolves. */
export async function runUntilSignal(running: Running, logger: Logger): Promise<void> {
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      logger.info({ signal }, 'shutting down');
      running.stop().then(resolve, resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
