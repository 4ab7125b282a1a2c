/**
 * The HFP ingest: subscribes to an MQTT broker (mqtt.hsl.fi live, or the simulator's embedded one),
 * parses each message with the shared parser, drops exact duplicates, marks late messages, and
 * publishes the normalized position to the broker layer keyed by vehicle id. Every message is counted;
 * nothing is thrown away silently.
 */
import {
  HFP_REJECT_REASONS,
  type HfpRejectReason,
  parseHfp,
  type VehiclePosition,
} from '@realtimemap/shared';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Broker } from '../transport/broker.ts';
import type { Server } from '../transport/server.ts';
import { createDuplicateFilter } from './duplicate-filter.ts';
import { FEED_ERROR, FeedError } from './errors.ts';
import { type FeedStats, RateMeter } from './feed-stats.ts';
import { createOrderTracker } from './order-tracker.ts';

/** Every HFP v2 message: positions and the stop, door and journey events that carry them. */
export const DEFAULT_TOPIC_FILTER = '/hfp/v2/#';
export const DEFAULT_POSITIONS_TOPIC = 'vehicle-positions';

const noTrace = () => {};

export interface FeedOptions {
  readonly mqttUrl: string;
  readonly topicFilter?: string;
  readonly broker: Broker;
  readonly positionsTopic?: string;
  readonly logger: Logger;
  readonly clock?: { now(): number };
  /** Repeats of the same topic + payload within this many ms are dropped; default 500. */
  readonly duplicateWindowMs?: number;
  /** Reconnect backoff: first delay and cap, ms; defaults 500 and 30,000. */
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  /** start() waits this long for the first connection, then resolves and keeps retrying; default 10 s. */
  readonly connectTimeoutMs?: number;
}

export interface Feed extends Server {
  stats(): FeedStats;
  /** Resolves once every position accepted so far has been taken by the broker. */
  flush(): Promise<void>;
}

export function buildFeed(options: FeedOptions): Feed {
  const log = options.logger;
  const clock = options.clock ?? { now: () => Date.now() };
  const filter = options.topicFilter ?? DEFAULT_TOPIC_FILTER;
  const positionsTopic = options.positionsTopic ?? DEFAULT_POSITIONS_TOPIC;
  const minDelay = options.reconnectMinMs ?? 500;
  const maxDelay = options.reconnectMaxMs ?? 30_000;
  const duplicates = createDuplicateFilter(options.duplicateWindowMs ?? 500);
  const order = createOrderTracker();
  const meter = new RateMeter();
  const rejected: Partial<Record<HfpRejectReason, number>> = {};
  let inFlight = 0;
  const drained: (() => void)[] = [];
  let received = 0;
  let accepted = 0;
  let upcoming = 0;
  let dropped = 0;
  let late = 0;
  let publishErrors = 0;
  let connects = 0;
  let connected = false;
  let stopping = false;
  let attempt = 0;
  let client: MqttClient | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const onMessage = (topic: string, bytes: Buffer) => {
    const now = clock.now();
    received++;
    meter.add(now);
    const payload = bytes.toString('utf8');
    if (duplicates.isDuplicate(topic, payload, now)) {
      dropped++;
      return;
    }
    const r = parseHfp(topic, payload);
    if (!r.ok) {
      const n = (rejected[r.reason] ?? 0) + 1;
      rejected[r.reason] = n;
      // Logged, not swallowed; sampled so a broken upstream cannot flood the log.
      if (n <= 5 || n % 1000 === 0)
        log.warn({ reason: r.reason, detail: r.detail, topic, count: n }, 'hfp message rejected');
      return;
    }
    if (r.temporalType === 'upcoming') {
      upcoming++;
      return;
    }
    accepted++;
    let position: VehiclePosition = r.value;
    if (order.isLate(position.vehicleId, position.eventTime)) {
      late++;
      position = { ...position, outOfOrder: true };
    }
    inFlight++;
    options.broker.publish(positionsTopic, position, { key: position.vehicleId }).then(settle, failed);
  };

  // One counter and one continuation per message (not a Set of promise chains): this is the hot path.
  const settle = () => {
    inFlight--;
    if (inFlight === 0 && drained.length > 0) for (const resolve of drained.splice(0)) resolve();
  };
  const failed = (err: unknown) => {
    publishErrors++;
    if (publishErrors <= 5 || publishErrors % 1000 === 0)
      log.error({ err, publishErrors }, 'publishing a position failed');
    settle();
  };
  const whenDrained = () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => drained.push(r)));

  const scheduleReconnect = () => {
    if (stopping || retry || !client) return;
    const delay = Math.min(maxDelay, minDelay * 2 ** attempt) * (0.8 + 0.4 * Math.random());
    attempt++;
    log.info({ url: options.mqttUrl, attempt, delayMs: Math.round(delay) }, 'feed reconnecting');
    retry = setTimeout(() => {
      retry = undefined;
      if (!stopping && client) client.reconnect();
    }, delay);
  };

  return {
    name: 'feed',
    async start() {
      if (client) return;
      stopping = false;
      const c = mqtt.connect(options.mqttUrl, {
        reconnectPeriod: 0, // reconnects are ours, with backoff
        resubscribe: false,
        clean: true,
        connectTimeout: options.connectTimeoutMs ?? 10_000,
        clientId: `realtimemap-feed-${Math.random().toString(16).slice(2, 10)}`,
        // mqtt.js traces every packet through `debug` (several calls each, arguments built even when
        // tracing is off); left on only when DEBUG asks for tracing.
        ...(process.env.DEBUG ? {} : { log: noTrace }),
      });
      client = c;
      const firstConnect = new Promise<void>((resolve) => {
        c.on('connect', () => {
          connects++;
          attempt = 0;
          c.subscribe(filter, { qos: 0 }, (err) => {
            if (err) {
              log.error({
                err: new FeedError(FEED_ERROR.subscribe, `subscribe ${filter} failed`, { cause: err }),
              });
              return;
            }
            connected = true;
            log.info({ url: options.mqttUrl, filter }, 'feed subscribed');
            resolve();
          });
        });
      });
      c.on('message', onMessage);
      c.on('error', (err) => log.warn({ err: err.message, url: options.mqttUrl }, 'feed mqtt error'));
      c.on('close', () => {
        if (connected) log.warn({ url: options.mqttUrl }, 'feed connection lost');
        connected = false;
        scheduleReconnect();
      });
      let timeout: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        firstConnect,
        new Promise<void>((resolve) => {
          timeout = setTimeout(() => {
            log.warn(
              { err: new FeedError(FEED_ERROR.connect, `no connection to ${options.mqttUrl} yet`) },
              'feed started without a connection; retrying in the background',
            );
            resolve();
          }, options.connectTimeoutMs ?? 10_000);
        }),
      ]);
      clearTimeout(timeout);
    },
    async stop() {
      stopping = true;
      if (retry) clearTimeout(retry);
      retry = undefined;
      const c = client;
      client = undefined;
      if (c) await c.endAsync(true);
      connected = false;
      await whenDrained();
      log.info({ received, accepted, duplicates: dropped, outOfOrder: late }, 'feed stopped');
    },
    flush: whenDrained,
    stats() {
      const byReason: Partial<Record<HfpRejectReason, number>> = {};
      for (const reason of HFP_REJECT_REASONS) if (rejected[reason]) byReason[reason] = rejected[reason];
      return {
        received,
        accepted,
        upcoming,
        duplicates: dropped,
        outOfOrder: late,
        rejected: byReason,
        publishErrors,
        messagesPerSecond: meter.rate(clock.now()),
        connected,
        connects,
      };
    },
  };
}
