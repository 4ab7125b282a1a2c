/**
 * An in-process MQTT broker (aedes on a plain TCP server) so the app runs offline: the simulator
 * publishes HFP to it and the feed subscribes, exactly as against mqtt.hsl.fi.
 */
import { once } from 'node:events';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import Aedes from 'aedes';
import { SIM_ERROR, SimError } from './errors.ts';
import type { Logger } from './logger.ts';

export interface EmbeddedBrokerOptions {
  /** TCP port; 0 (default) = a free port chosen by the OS. */
  readonly port?: number;
  /** Default 127.0.0.1: loopback only unless asked. */
  readonly host?: string;
  readonly logger: Logger;
}

export interface EmbeddedBroker {
  /** `mqtt://<host>:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Disconnects clients, closes the listener, then the broker. */
  close(): Promise<void>;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const log = options.logger;
  const aedes = new Aedes({ concurrency: 1000 });
  const sockets = new Set<Socket>();
  const server: NetServer = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  aedes.on('clientError', (client, err) =>
    log.debug({ client: client?.id, err: err.message }, 'mqtt client error'),
  );
  server.listen(options.port ?? 0, host);
  try {
    await Promise.race([
      once(server, 'listening'),
      once(server, 'error').then(([err]) => {
        throw err;
      }),
    ]);
  } catch (cause) {
    aedes.close();
    throw new SimError(
      SIM_ERROR.brokerListen,
      `embedded MQTT broker cannot listen on ${host}:${options.port}`,
      {
        cause,
      },
    );
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const url = `mqtt://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info({ url }, 'embedded MQTT broker listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await serverClosed;
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        log.info({ url }, 'embedded MQTT broker closed');
      })();
      return closing;
    },
  };
}
