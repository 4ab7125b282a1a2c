import mqtt, { type IClientOptions, type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';
import type { DeliveryPolicy } from '../../broker.ts';
import { backoffDelay } from '../../delivery/backoff.ts';
import { ConnectError, errorMessage } from '../../errors.ts';
import type { TransportLogger } from '../../logger.ts';
import { coalesceWrites } from '../../net/coalesce-writes.ts';
import { readPublishesDirectly } from './packet-reader.ts';
import { type DirectPublish, publisherFor, writePacketsDirectly } from './packet-writer.ts';

const CLOSE_GRACE_MS = 2_000;

/**
 * mqtt.js logs through `debug` several times per packet; even switched off each call checks whether it
 * is enabled (about 5% of a busy connection's CPU in a profile). Pass `clientOptions.log` to see them.
 */
const NO_LOG = (): void => {};

export type ConnectionState =
  | { readonly type: 'connecting' }
  | { readonly type: 'connected' }
  | { readonly type: 'reconnecting'; readonly attempt: number; readonly error?: Error }
  | { readonly type: 'closed' };

export interface MqttConnectionOptions {
  readonly url: string;
  readonly clientOptions: IClientOptions;
  readonly backoff: Pick<DeliveryPolicy, 'initialDelayMs' | 'maxDelayMs' | 'multiplier' | 'jitter'>;
  readonly logger: TransportLogger;
  readonly onState: (state: ConnectionState) => void;
  /** Runs after every reconnect, before the state turns `connected` (restores subscriptions). */
  readonly onReconnect?: (client: MqttClient) => Promise<void>;
  /** The connection dropped (not by close()): whatever awaits a server ack from it will not get one. */
  readonly onLost?: (error: Error) => void;
  /** Incoming PUBLISH; the PUBACK (and the next packet) waits for the returned promise. */
  readonly onPublish?: (packet: IPublishPacket) => Promise<void> | undefined;
}

type StreamBuilder = (client: MqttClient) => MqttClient['stream'];

/**
 * Every stream the client builds (the first connect and each reconnect: mqtt.js makes a new one each
 * time) writes its packets coalesced, one socket write per turn instead of a writev per packet
 * (`coalesceWrites`). mqtt.js keeps its builder in a private field; without one, writes stay as they are.
 */
function coalesceStreams(client: MqttClient): void {
  const holder = client as unknown as { streamBuilder?: StreamBuilder };
  const build = holder.streamBuilder;
  if (typeof build !== 'function') return;
  holder.streamBuilder = (c) => {
    const stream = build(c);
    coalesceWrites(stream);
    return stream;
  };
}

/**
 * One mqtt.js client with our own reconnect loop: mqtt.js retries at a fixed period, we back off
 * exponentially with jitter (initial, x multiplier, capped) and report each attempt.
 */
export class MqttConnection {
  private client: MqttClient | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closing = false;
  private lastError: Error | undefined;
  /** The server's CONNACK of the first connection (its MQTT 5 properties say what it supports). */
  connack: IConnackPacket | undefined;
  /** QoS 1/2 publishes without mqtt.js's per-call options merge (`publisherFor`); undefined: use publish(). */
  publisher: DirectPublish | undefined;

  constructor(private readonly o: MqttConnectionOptions) {}

  get native(): MqttClient | undefined {
    return this.client;
  }

  /** Connects once; rejects with ConnectError if the first attempt fails (no retry loop yet). */
  open(): Promise<MqttClient> {
    this.o.onState({ type: 'connecting' });
    const client = mqtt.connect(this.o.url, {
      log: NO_LOG,
      ...this.o.clientOptions,
      protocolVersion: 5,
      // We reconnect (with backoff) and resubscribe ourselves.
      reconnectPeriod: 0,
      resubscribe: false,
      // The stream is built by connect(), after the builder is wrapped below.
      manualConnect: true,
    });
    coalesceStreams(client);
    // Our PUBLISHes and the PUBACKs as one buffer each, not mqtt-packet's dozen writes (same bytes),
    // and incoming PUBLISHes parsed from one view of the packet (the same packet objects).
    writePacketsDirectly(client);
    readPublishesDirectly(client);
    client.connect();
    this.client = client;
    this.publisher = publisherFor(client);
    const onPublish = this.o.onPublish;
    if (onPublish) {
      client.handleMessage = (packet, done) => {
        let waiting: Promise<void> | undefined;
        try {
          waiting = onPublish(packet);
        } catch (error) {
          this.handlingFailed(error, packet, done);
          return;
        }
        // Synchronous unless the consumer asked to pause reading (backpressure); no closure otherwise.
        if (waiting)
          waiting.then(
            () => done(),
            (error: unknown) => this.handlingFailed(error, packet, done),
          );
        else done();
      };
    }
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        client.removeListener('connect', ok);
        client.end(true);
        this.o.onState({ type: 'closed' });
        reject(new ConnectError('mqtt', error));
      };
      const ok = (connack: IConnackPacket) => {
        this.connack = connack;
        client.removeListener('error', fail);
        this.watch(client);
        this.o.onState({ type: 'connected' });
        resolve(client);
      };
      client.once('connect', ok);
      client.once('error', fail);
    });
  }

  private handlingFailed(error: unknown, packet: IPublishPacket, done: () => void): void {
    this.o.logger.error({ err: error, topic: packet.topic }, 'mqtt: incoming message handling failed');
    done();
  }

  private watch(client: MqttClient): void {
    client.on('error', (error) => {
      this.lastError = error;
      this.o.logger.debug({ err: error }, 'mqtt: client error');
    });
    client.on('close', () => {
      if (this.closing) return;
      this.o.onLost?.(this.lastError ?? new Error('connection lost'));
      if (this.timer) return;
      this.attempt++;
      this.o.onState({
        type: 'reconnecting',
        attempt: this.attempt,
        ...(this.lastError ? { error: this.lastError } : {}),
      });
      const delay = backoffDelay(
        { ...this.o.backoff, maxAttempts: 1, deadLetterTopic: undefined, handlerTimeoutMs: 0 },
        this.attempt,
      );
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.closing) client.reconnect();
      }, delay);
    });
    client.on('connect', () => {
      if (this.attempt === 0) return;
      this.attempt = 0;
      this.lastError = undefined;
      const restore = this.o.onReconnect?.(client) ?? Promise.resolve();
      restore.then(
        () => {
          if (!this.closing) this.o.onState({ type: 'connected' });
        },
        (error: unknown) => {
          // Without its subscriptions the connection is useless: drop it and go round again.
          this.o.logger.error({ err: error }, `mqtt: restoring subscriptions failed: ${errorMessage(error)}`);
          client.stream?.destroy();
        },
      );
    });
  }

  /** Ends the client; pending outgoing QoS 1 messages are sent first (mqtt.js waits for their PUBACKs). */
  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    if (client) {
      // The broker has already awaited every publish it accepted, so a graceful end that stalls
      // (mqtt.js waits for its own outgoing table to empty) is cut short after a grace period.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_GRACE_MS);
      });
      const ended = await Promise.race([
        client.endAsync(!client.connected).then(() => true),
        grace.then(() => false),
      ]);
      clearTimeout(timer);
      if (!ended) {
        this.o.logger.warn(
          { clientId: client.options.clientId },
          'mqtt: graceful end stalled; closing the socket',
        );
        client.stream?.destroy();
      }
    }
    this.o.onState({ type: 'closed' });
  }
}
