/**
 * Builds the kafkajs client with our logger and a socket factory that reports connection health: an
 * error on any of the client's sockets (refused, reset) means the broker is unreachable for now, and
 * a socket that connects means it is back. kafkajs reconnects by itself; this is how we observe it.
 */
import { isIP, connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Kafka, type logCreator, logLevel, type RetryOptions, type SASLOptions } from 'kafkajs';
import type { TransportLogger } from '../../internal.ts';
import type { KafkaSaslOptions, ResolvedKafkaOptions } from './options.ts';

export interface ConnectionWatcher {
  onSocketError(error: Error): void;
  onSocketConnected(): void;
}

/**
 * kafkajs retries with exponential backoff capped at maxRetryTime; we pick the retry count so the
 * total wait covers `publishRetryMs` (a broker restart), rather than kafkajs's "forever" default for
 * the idempotent producer, which would make publish() hang while the broker is gone for good.
 */
export function retryFor(totalMs: number): RetryOptions {
  const initialRetryTime = 100;
  const maxRetryTime = 2_000;
  let retries = 0;
  let waited = 0;
  for (let delay = initialRetryTime; waited < totalMs; retries++) {
    waited += delay;
    delay = Math.min(maxRetryTime, delay * 2);
  }
  return { initialRetryTime, maxRetryTime, retries, factor: 0.2, multiplier: 2 };
}

function logCreatorFor(logger: TransportLogger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _t, ...extra } = log;
      const entry = { kafkajs: namespace, ...extra };
      const text = `kafkajs: ${message}`;
      if (level === logLevel.ERROR) logger.error(entry, text);
      else if (level === logLevel.WARN) logger.warn(entry, text);
      else logger.debug(entry, text); // kafkajs INFO is routine (joins, commits): debug for us
    };
}

function saslFor(sasl: KafkaSaslOptions): SASLOptions {
  const { username, password } = sasl;
  if (sasl.mechanism === 'plain') return { mechanism: 'plain', username, password };
  if (sasl.mechanism === 'scram-sha-256') return { mechanism: 'scram-sha-256', username, password };
  return { mechanism: 'scram-sha-512', username, password };
}

export function createKafkaClient(options: ResolvedKafkaOptions, watcher: ConnectionWatcher): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    ssl: options.ssl,
    ...(options.sasl ? { sasl: saslFor(options.sasl) } : {}),
    connectionTimeout: Math.min(options.connectTimeoutMs, 3_000),
    retry: retryFor(options.publishRetryMs),
    logLevel: logLevel.INFO,
    logCreator: logCreatorFor(options.logger),
    socketFactory: ({ host, port, ssl, onConnect }) => {
      const connected = () => {
        watcher.onSocketConnected();
        onConnect();
      };
      const socket = options.ssl
        ? tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }), ...ssl }, connected)
        : netConnect({ host, port }, connected);
      socket.setKeepAlive(true, 60_000);
      socket.on('error', (error) => watcher.onSocketError(error));
      return socket;
    },
  });
}
