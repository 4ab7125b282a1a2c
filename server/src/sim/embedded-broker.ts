/**
 * An in-process MQTT broker (aedes on a plain TCP server) so the app runs offline: the simulator
 * publishes HFP to it and the feed subscribes, exactly as against mqtt.hsl.fi.
 */
import { once } from 'node:events';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import Aedes from 'aedes';
import { coalesceWrites } from '../transport/net/coalesce-writes.ts';
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
  /**
   * Publishes from inside the process (QoS 0, not retained) as if a client had sent it, without a
   * client: no MQTT encoding, socket round trip or parse on the way in. `done` runs once the message
   * has been handed to every matching subscriber.
   */
  publish(topic: string, payload: string | Buffer, done?: (err?: Error) => void): void;
  /** Disconnects clients, closes the listener, then the broker. */
  close(): Promise<void>;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const log = options.logger;
  const aedes = new Aedes({ concurrency: 1000 });
  const sockets = new Set<Socket>();
  // A turn's coalesced writes easily pass the default 16 KiB mark; past it every write returns false
  // and aedes parks one 'drain' listener per message. 1 MiB per subscriber still bounds memory.
  const server: NetServer = createServer({ highWaterMark: 1 << 20 }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    coalesceWrites(socket);
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
    publish(topic, payload, done) {
      const packet = {
        cmd: 'publish' as const,
        topic,
        // A string goes through as it is: mqtt-packet encodes it straight into the socket write.
        payload,
        qos: 0 as const,
        retain: false,
        dup: false,
      };
      aedes.publish(packet, (err) => done?.(err ?? undefined));
    },
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
