import type { IPublishPacket, MqttClient } from 'mqtt';
import type {
  Broker,
  BrokerStatus,
  Capabilities,
  PublishOptions,
  SubscribeOptions,
  Subscription,
} from '../../broker.ts';
import { buildPublishHeaders, newMessageId } from '../../delivery/headers.ts';
import { resolvePolicy } from '../../delivery/policy.ts';
import {
  BrokerClosedError,
  DeadlineError,
  InvalidOptionError,
  PublishError,
  TransportError,
  UnsupportedError,
} from '../../errors.ts';
import { type Handler, HEADER } from '../../message.ts';
import { StatusEmitter } from '../../status-emitter.ts';
import { fromMqttTopic, isPattern, patternProblem, toMqttFilter } from '../../topics/wildcards.ts';
import { type ConnectionState, MqttConnection } from './mqtt-connection.ts';
import { type Incoming, MqttSubscription } from './mqtt-subscription.ts';
import { type MqttBrokerOptions, type ResolvedMqttOptions, resolveMqttOptions } from './options.ts';
import { PendingPublishes } from './pending-publishes.ts';
import { WireRegistry } from './wire-registry.ts';

export const capabilities: Capabilities = Object.freeze({
  persistent: false,
  orderedByKey: true,
  redelivery: true,
  groups: true,
  requestReply: false,
  headers: true,
  wildcards: true,
});

/** User property that carries the message key (MQTT has no key of its own): HEADER.key. */
export const KEY_PROPERTY = HEADER.key;

const NO_PROPERTIES: NonNullable<IPublishPacket['properties']> = Object.freeze({});

export function createMqttBroker(options: MqttBrokerOptions = {}): Broker {
  return new MqttBroker(resolveMqttOptions(options));
}

type Role = 'pub' | 'sub';

/**
 * MQTT 5 over mqtt.js. Two connections: one publishes, one consumes, so a consumer that stops reading
 * for backpressure never holds up the PUBACKs its own handlers' publishes wait for.
 */
class MqttBroker implements Broker {
  readonly name = 'mqtt';
  readonly capabilities = capabilities;
  private readonly statusEmitter = new StatusEmitter();
  private readonly states: Record<Role, ConnectionState> = {
    pub: { type: 'connecting' },
    sub: { type: 'connecting' },
  };
  private readonly registry = new WireRegistry();
  private readonly subs = new Set<MqttSubscription>();
  private readonly pending: PendingPublishes;
  /** Messages that arrived for no live subscription (counted, logged at debug). */
  unrouted = 0;
  /** Validated publish topics -> wire topics, and wire topics -> portable ones (mapping per message is waste). */
  private readonly publishTopics = new Map<string, string>();
  private readonly receivedTopics = new Map<string, string>();
  private readonly pub: MqttConnection;
  private readonly sub: MqttConnection;
  private connecting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly o: ResolvedMqttOptions) {
    this.pending = new PendingPublishes(o.publishTimeoutMs);
    const common = { url: o.url, backoff: o.backoff, logger: o.logger };
    this.pub = new MqttConnection({
      ...common,
      clientOptions: { ...o.clientOptions, clientId: `${o.clientId}-pub` },
      onState: (s) => this.onState('pub', s),
      // A clean-start session will not get PUBACKs for what was in flight: fail those publishes now
      // (the caller may retry: at least once) rather than let them hang until the timeout.
      onLost: (error) => this.pending.failAll(new Error(`connection lost before PUBACK: ${error.message}`)),
    });
    this.sub = new MqttConnection({
      ...common,
      // A large Receive Maximum lets the server keep many QoS 1 messages in flight to us instead of
      // queueing them; Mosquitto drops what overflows its per-client queue (max_queued_messages).
      clientOptions: {
        ...o.clientOptions,
        clientId: `${o.clientId}-sub`,
        properties: { receiveMaximum: 65_535, ...o.clientOptions.properties },
      },
      onState: (s) => this.onState('sub', s),
      onReconnect: (client) => this.restore(client),
      onPublish: (packet) => this.receive(packet),
    });
  }

  get status(): BrokerStatus {
    return this.statusEmitter.status;
  }

  onStatus(listener: (status: BrokerStatus) => void): () => void {
    return this.statusEmitter.on(listener);
  }

  connect(): Promise<void> {
    if (this.closing) return Promise.reject(new BrokerClosedError('mqtt connect'));
    this.connecting ??= (async () => {
      const [p, s] = await Promise.allSettled([this.pub.open(), this.sub.open()]);
      if (p.status === 'rejected' || s.status === 'rejected') {
        await Promise.allSettled([this.pub.close(), this.sub.close()]);
        this.connecting = undefined;
        throw p.status === 'rejected' ? p.reason : (s as PromiseRejectedResult).reason;
      }
      if (this.sub.connack?.properties?.subscriptionIdentifiersAvailable === false) {
        await this.close();
        throw new UnsupportedError('this MQTT server', 'subscription identifiers (MQTT 5)');
      }
    })();
    return this.connecting;
  }

  publish<T>(topic: string, value: T, options: PublishOptions = {}): Promise<void> {
    if (this.closing) return Promise.reject(new BrokerClosedError(`mqtt publish to "${topic}"`));
    return this.send(topic, value, options);
  }

  private send<T>(topic: string, value: T, options: PublishOptions): Promise<void> {
    const client = this.pub.native;
    if (!client) {
      return Promise.reject(
        new PublishError('mqtt', topic, new TransportError('TRANSPORT_NOT_CONNECTED', 'connect() first')),
      );
    }
    let wireTopic = this.publishTopics.get(topic);
    if (wireTopic === undefined) {
      const problem = this.topicProblem(topic, false);
      if (problem) return Promise.reject(new PublishError('mqtt', topic, new InvalidOptionError(problem)));
      wireTopic = this.toWire(topic);
      remember(this.publishTopics, topic, wireTopic);
    }
    const codec = options.codec ?? this.o.codec;
    let raw: Uint8Array;
    try {
      raw = codec.encode(value);
    } catch (cause) {
      return Promise.reject(new PublishError('mqtt', topic, cause));
    }
    let userProperties: Record<string, string>;
    let contentType: string | undefined;
    if (options.headers === undefined) {
      // The common case, built directly: the generated id, and the codec's type (it travels as the
      // MQTT 5 Content Type property and is read back into the header on receipt).
      userProperties = { [HEADER.messageId]: newMessageId() };
      contentType = codec.contentType;
    } else {
      try {
        userProperties = buildPublishHeaders(codec, options.headers);
      } catch (error) {
        return Promise.reject(error);
      }
      contentType = userProperties[HEADER.contentType];
      delete userProperties[HEADER.contentType];
    }
    if (options.key !== undefined) userProperties[HEADER.key] = options.key;
    const payload = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const properties = { userProperties, contentType };
    const qos = this.o.qos;
    const direct = this.pub.publisher;
    return new Promise<void>((resolve, reject) => {
      const onAck = this.pending.add(topic, resolve, reject).onAck;
      if (direct !== undefined && qos !== 0) direct(wireTopic, payload, qos, properties, onAck);
      else client.publish(wireTopic, payload, { qos, properties }, onAck);
    });
  }

  async subscribe<T>(
    topic: string,
    handler: Handler<T>,
    options: SubscribeOptions<T> = {},
  ): Promise<Subscription> {
    if (this.closing) throw new BrokerClosedError(`mqtt subscribe to "${topic}"`);
    const client = this.sub.native;
    if (!client) throw new InvalidOptionError('mqtt: connect() before subscribe()');
    const problem = this.topicProblem(topic, true);
    if (problem) throw new InvalidOptionError(problem);
    const group = options.group;
    if (group !== undefined && (group.length === 0 || /[/+#]/.test(group))) {
      throw new InvalidOptionError(`mqtt: group "${group}" must be non-empty without / + #`);
    }
    const filter = group === undefined ? this.toWire(topic) : `$share/${group}/${this.toWire(topic)}`;
    const sub: MqttSubscription<T> = new MqttSubscription<T>({
      topic,
      group,
      handler,
      policy: resolvePolicy(options.policy),
      codec: options.codec,
      defaultCodec: this.o.codec,
      maxInFlight: options.maxInFlight ?? 1,
      orderedByKey: options.orderedByKey ?? true,
      broker: { publish: (t, v, po) => this.send(t, v, po ?? {}) },
      logger: this.o.logger,
      detach: () => this.detach(filter, sub as MqttSubscription),
    });
    const { wire, created } = this.registry.attach(filter, group !== undefined, sub as MqttSubscription);
    if (created) wire.ready = this.subscribeWire(client, filter, wire.id);
    try {
      await wire.ready;
    } catch (error) {
      this.registry.detach(filter, sub as MqttSubscription);
      throw error;
    }
    this.subs.add(sub as MqttSubscription);
    void sub.closed.then(() => this.subs.delete(sub as MqttSubscription));
    return sub;
  }

  private async subscribeWire(client: MqttClient, filter: string, id: number): Promise<void> {
    const granted = await client.subscribeAsync(filter, {
      qos: this.o.qos,
      properties: { subscriptionIdentifier: id },
    });
    const failed = granted.find((g) => g.qos > 2);
    if (failed) {
      throw new TransportError(
        'TRANSPORT_SUBSCRIBE_FAILED',
        `mqtt: server refused "${filter}" (reason ${failed.qos})`,
      );
    }
  }

  private async detach(filter: string, sub: MqttSubscription): Promise<void> {
    const emptied = this.registry.detach(filter, sub);
    const client = this.sub.native;
    if (emptied && client?.connected) await client.unsubscribeAsync(filter);
  }

  /** After a reconnect (clean session): every wire subscription again, with its identifier. */
  private async restore(client: MqttClient): Promise<void> {
    const wires = [...this.registry.wires];
    await Promise.all(wires.map((w) => this.subscribeWire(client, w.filter, w.id)));
    this.o.logger.info({ subscriptions: wires.length }, 'mqtt: subscriptions restored');
  }

  /** Incoming PUBLISH: hand to the matching subscriptions; stop reading while one of them is full. */
  private receive(packet: IPublishPacket): Promise<void> | undefined {
    const props = packet.properties ?? NO_PROPERTIES;
    const headers: Record<string, string> = {};
    let key: string | undefined;
    const user = props.userProperties;
    if (user !== undefined) {
      for (const name in user) {
        const v = user[name]!;
        const value = typeof v === 'string' ? v : v[v.length - 1]!;
        if (name === HEADER.key) key = value;
        else headers[name.toLowerCase()] = value;
      }
    }
    if (props.contentType && headers[HEADER.contentType] === undefined)
      headers[HEADER.contentType] = props.contentType;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const incoming: Incoming = {
      topic: this.receivedTopic(packet.topic),
      key,
      headers,
      raw: payload,
      // MQTT carries no publish time: this is the receive time.
      timestamp: Date.now(),
      native: packet,
    };
    const targets = this.registry.route(props.subscriptionIdentifier, key);
    if (targets.length === 0) {
      // A subscription closed while the message was on its way, or a server that sent no identifier.
      this.unrouted++;
      this.o.logger.debug(
        { topic: packet.topic, unrouted: this.unrouted },
        'mqtt: message matched no live subscription',
      );
      return undefined;
    }
    let full: Promise<void>[] | undefined;
    for (const t of targets) {
      t.offer(incoming);
      // Only a full subscription makes the next packet wait; otherwise reading continues at once.
      if (t.scheduler.size >= this.o.maxBuffered) {
        full ??= [];
        full.push(t.scheduler.whenBelow(this.o.maxBuffered));
      }
    }
    if (full === undefined) return undefined;
    return Promise.all(full).then(() => undefined);
  }

  close(options: { readonly deadlineMs?: number } = {}): Promise<void> {
    this.closing ??= this.drain(options.deadlineMs ?? this.o.closeDeadlineMs);
    return this.closing;
  }

  private async drain(deadlineMs: number): Promise<void> {
    const subs = [...this.subs];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deadlineMs);
    });
    // Subscriptions first (their handlers may still publish dead letters), then accepted publishes.
    const work = (async () => {
      await Promise.all(subs.map((s) => s.close()));
      await this.pending.idle();
    })();
    const result = await Promise.race([work, late]);
    clearTimeout(timer);
    if (result === 'late') for (const s of subs) s.abandon();
    await Promise.allSettled([this.sub.close(), this.pub.close()]);
    const error = result === 'late' ? new DeadlineError('mqtt close', deadlineMs) : undefined;
    this.statusEmitter.set(error ? { type: 'closed', error } : { type: 'closed' });
    if (error) throw error;
  }

  native(): { publisher: MqttClient | undefined; subscriber: MqttClient | undefined } {
    return { publisher: this.pub.native, subscriber: this.sub.native };
  }

  private onState(role: Role, state: ConnectionState): void {
    this.states[role] = state;
    if (this.closing) return; // drain() sets the final status
    const { pub, sub } = this.states;
    let next: BrokerStatus;
    if (pub.type === 'closed' || sub.type === 'closed') {
      return; // a failed connect(): connect() rejects with the reason
    } else if (pub.type === 'reconnecting' || sub.type === 'reconnecting') {
      const r =
        pub.type === 'reconnecting' ? pub : (sub as Extract<ConnectionState, { type: 'reconnecting' }>);
      next = { type: 'reconnecting', attempt: r.attempt, ...(r.error ? { error: r.error } : {}) };
    } else if (pub.type === 'connected' && sub.type === 'connected') next = { type: 'connected' };
    else next = { type: 'connecting' };
    const cur = this.statusEmitter.status;
    if (
      cur.type === next.type &&
      (cur.type !== 'reconnecting' || cur.attempt === (next as { attempt: number }).attempt)
    )
      return;
    this.statusEmitter.set(next);
  }

  private receivedTopic(wire: string): string {
    if (this.o.topics === 'native') return wire;
    let topic = this.receivedTopics.get(wire);
    if (topic === undefined) {
      topic = fromMqttTopic(wire);
      remember(this.receivedTopics, wire, topic);
    }
    return topic;
  }

  private toWire(topic: string): string {
    return this.o.topics === 'portable' ? toMqttFilter(topic) : topic;
  }

  private topicProblem(topic: string, allowPattern: boolean): string | undefined {
    if (this.o.topics === 'native') {
      if (topic.length === 0) return 'topic is empty';
      if (!allowPattern && /[+#]/.test(topic)) return 'cannot publish to a wildcard filter';
      return undefined;
    }
    if (/[/+#]/.test(topic)) return `portable topic "${topic}" must not contain / + # (use topics: 'native')`;
    const p = patternProblem(topic);
    if (p) return p;
    if (!allowPattern && isPattern(topic)) return 'cannot publish to a wildcard pattern';
    return undefined;
  }
}

/** A small bounded memo: cleared when full (topics are usually few; a flood of distinct ones stays bounded). */
function remember(map: Map<string, string>, key: string, value: string): void {
  if (map.size >= 1_024) map.clear();
  map.set(key, value);
}
