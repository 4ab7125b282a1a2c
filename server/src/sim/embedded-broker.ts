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
  /**
   * Publishes from inside the process (QoS 0, not retained) as if a client had sent it, without a
   * client: no MQTT encoding, socket round trip or parse on the way in. `done` runs once the message
   * has been handed to every matching subscriber.
   */
  publish(topic: string, payload: string | Buffer, done?: (err?: Error) => void): void;
  /** Disconnects clients, closes the listener, then the broker. */
  close(): Promise<void>;
}

/**
 * aedes writes every delivered message from its own setImmediate, as five small writes (header,
 * length, topic length, topic, payload), and mqtt-packet corks and uncorks around each message: left
 * alone that is a writev syscall per message, the largest single cost of the embedded path under load.
 * Instead a turn's writes are copied into one buffer and handed to the socket once, at the next turn
 * (latency: one turn): one stream write and one syscall per turn, not a buffered stream entry per
 * chunk. Backpressure is the socket's own: a write that finds a turn's worth pending passes everything
 * through at once and returns the socket's answer, and while the socket is over its mark every write
 * says so: either way aedes waits for the 'drain' the socket will emit.
 * A write with a callback (or an encoding other than UTF-8), and `end()`, first send what is pending.
 */
function coalesceWrites(socket: Socket): void {
  const write = socket.write;
  const end = socket.end;
  let pending: (string | Uint8Array)[] = [];
  /** Upper bound on the pending bytes: UTF-16 code units count 3 (UTF-8's most per unit). */
  let bound = 0;
  let scheduled = false;
  const flush = (): boolean => {
    scheduled = false;
    const chunks = pending;
    pending = [];
    // A closed socket loses what was pending, as corked writes would: aedes is closing the client.
    if (socket.destroyed || socket.writableEnded) {
      bound = 0;
      return false;
    }
    if (chunks.length === 0) return socket.writableLength < socket.writableHighWaterMark;
    const out = Buffer.allocUnsafe(bound);
    bound = 0;
    let at = 0;
    for (const c of chunks) {
      if (typeof c === 'string') at += out.write(c, at);
      else {
        out.set(c, at);
        at += c.length;
      }
    }
    return write.call(socket, out.subarray(0, at)) as boolean;
  };
  const scheduledFlush = () => {
    if (scheduled) flush();
  };
  // mqtt-packet corks the stream per message when it can (`if (stream.cork)`), and schedules an
  // uncork on nextTick: nothing to cork here any more, so it skips both.
  (socket as { cork?: Socket['cork'] }).cork = undefined;
  socket.write = function coalescedWrite(this: Socket, chunk: unknown, ...rest: unknown[]) {
    const plain = rest.length === 0 || (rest.length === 1 && (rest[0] === 'utf8' || rest[0] === 'utf-8'));
    if (!plain || !(typeof chunk === 'string' || chunk instanceof Uint8Array)) {
      flush();
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    }
    pending.push(chunk);
    bound += typeof chunk === 'string' ? chunk.length * 3 : chunk.length;
    if (bound >= socket.writableHighWaterMark) return flush();
    if (!scheduled) {
      scheduled = true;
      setImmediate(scheduledFlush);
    }
    // Still over the mark from an earlier turn: that write returned false, so 'drain' will come.
    return socket.writableLength < socket.writableHighWaterMark;
  } as Socket['write'];
  socket.end = function coalescedEnd(this: Socket, ...args: unknown[]) {
    flush();
    return (end as (...a: unknown[]) => Socket).apply(this, args);
  } as Socket['end'];
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
