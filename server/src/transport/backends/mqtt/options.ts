import { randomUUID } from 'node:crypto';
import type { IClientOptions } from 'mqtt';
import type { Codec } from '../../codec.ts';
import { jsonCodec } from '../../codecs/json-codec.ts';
import { InvalidOptionError } from '../../errors.ts';
import { silentLogger, type TransportLogger } from '../../logger.ts';

export interface MqttBrokerOptions {
  /** Default `mqtt://127.0.0.1:1883`. */
  readonly url?: string;
  /** Base client id; the broker opens `<id>-pub` and `<id>-sub`. Default random. */
  readonly clientId?: string;
  readonly username?: string;
  readonly password?: string;
  /** QoS for publish and subscribe: 1 (default) = at least once; 0 = at most once; 2 = exactly once. */
  readonly qos?: 0 | 1 | 2;
  /**
   * 'portable' (default): topics are `.`-separated with `*` / `>` wildcards, mapped to `/`, `+`, `#`.
   * 'native': topics and filters are passed to the server untouched (e.g. `/hfp/v2/journey/#`).
   */
  readonly topics?: 'portable' | 'native';
  readonly codec?: Codec;
  /** Reconnect backoff: first delay, cap (ms). Default 100 ms, x2, 5 s, 20 % jitter. */
  readonly reconnect?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /** Publish rejects with PublishError if no PUBACK within this (default 30 s; 0 = wait forever). */
  readonly publishTimeoutMs?: number;
  /**
   * Messages a subscription may hold (running + waiting) before the broker stops reading from the
   * server (TCP backpressure). Default 1,000.
   */
  readonly maxBuffered?: number;
  readonly closeDeadlineMs?: number;
  readonly connectTimeoutMs?: number;
  readonly logger?: TransportLogger;
  /** Extra mqtt.js options (TLS, keepalive, ...). Reconnect and resubscribe stay ours. */
  readonly clientOptions?: IClientOptions;
}

export interface ResolvedMqttOptions {
  readonly url: string;
  readonly clientId: string;
  readonly qos: 0 | 1 | 2;
  readonly topics: 'portable' | 'native';
  readonly codec: Codec;
  readonly backoff: { initialDelayMs: number; maxDelayMs: number; multiplier: number; jitter: number };
  readonly publishTimeoutMs: number;
  readonly maxBuffered: number;
  readonly closeDeadlineMs: number;
  readonly logger: TransportLogger;
  readonly clientOptions: IClientOptions;
}

/** Validates once (every problem together) and freezes. */
export function resolveMqttOptions(o: MqttBrokerOptions): ResolvedMqttOptions {
  const problems: string[] = [];
  const qos = o.qos ?? 1;
  if (![0, 1, 2].includes(qos)) problems.push('qos must be 0, 1 or 2');
  const maxBuffered = o.maxBuffered ?? 1_000;
  if (!Number.isInteger(maxBuffered) || maxBuffered < 1) problems.push('maxBuffered must be an integer >= 1');
  const publishTimeoutMs = o.publishTimeoutMs ?? 30_000;
  if (!(publishTimeoutMs >= 0)) problems.push('publishTimeoutMs must be >= 0');
  const initialDelayMs = o.reconnect?.initialDelayMs ?? 100;
  const maxDelayMs = o.reconnect?.maxDelayMs ?? 5_000;
  if (!(initialDelayMs > 0 && maxDelayMs >= initialDelayMs))
    problems.push('reconnect delays must be > 0 and max >= initial');
  const clientId = o.clientId ?? `rtm-${randomUUID().slice(0, 12)}`;
  if (problems.length > 0) throw new InvalidOptionError(`invalid mqtt options: ${problems.join('; ')}`);
  return Object.freeze({
    url: o.url ?? 'mqtt://127.0.0.1:1883',
    clientId,
    qos,
    topics: o.topics ?? 'portable',
    codec: o.codec ?? jsonCodec,
    backoff: { initialDelayMs, maxDelayMs, multiplier: 2, jitter: 0.2 },
    publishTimeoutMs,
    maxBuffered,
    closeDeadlineMs: o.closeDeadlineMs ?? 30_000,
    logger: o.logger ?? silentLogger,
    clientOptions: {
      connectTimeout: o.connectTimeoutMs ?? 5_000,
      keepalive: 30,
      ...o.clientOptions,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      clean: true,
    },
  });
}
