/** Options of the Redis backend, validated once (every problem reported together) and frozen. */
import type { RedisOptions } from 'ioredis';
import type { DeliveryPolicy } from '../../broker.ts';
import type { Codec } from '../../codec.ts';
import { InvalidOptionError } from '../../errors.ts';
import { silentLogger, type TransportLogger } from '../../logger.ts';

/** `streams`: persistent (XADD + consumer groups). `pubsub`: fan-out only, nothing kept. */
export type RedisMode = 'streams' | 'pubsub';

export interface RedisTrim {
  /** Keep about this many entries per stream (XADD MAXLEN). */
  readonly maxLen?: number;
  /** Drop entries older than this (XADD MINID, from the publisher's clock). */
  readonly maxAgeMs?: number;
  /** Exact trimming (`=`) instead of the cheaper approximate `~` (default false). */
  readonly exact?: boolean;
}

export interface RedisBrokerOptions {
  /** `redis://[:password@]host:port[/db]`; default redis://127.0.0.1:6379. */
  readonly url?: string;
  /** Extra ioredis options (TLS, sentinel, password, ...). */
  readonly redis?: RedisOptions;
  readonly mode?: RedisMode;
  /** Prepended to every stream key / channel name (default ''). */
  readonly keyPrefix?: string;
  readonly codec?: Codec;
  readonly logger?: TransportLogger;
  /** Streams: trimming applied on every XADD. Default: none. */
  readonly trim?: RedisTrim;
  /** Streams: a pending message idle this long is claimed by another consumer (default 30 s). */
  readonly claimIdleMs?: number;
  /** Streams: how often each subscription looks for idle pending messages (default claimIdleMs / 3). */
  readonly claimIntervalMs?: number;
  /** Streams: XREADGROUP BLOCK timeout (default 2 s). */
  readonly blockMs?: number;
  /** Streams: XREADGROUP COUNT, also the most messages a subscription holds unacked (default 256). */
  readonly readCount?: number;
  /** Default delivery policy for subscriptions (each subscription may override fields). */
  readonly policy?: Partial<DeliveryPolicy>;
  /** close() deadline when the call gives none (default 30 s). */
  readonly closeDeadlineMs?: number;
}

export interface ResolvedRedisOptions {
  readonly url: string;
  readonly redis: RedisOptions;
  readonly mode: RedisMode;
  readonly keyPrefix: string;
  readonly codec: Codec | undefined;
  readonly logger: TransportLogger;
  readonly trim: RedisTrim | undefined;
  readonly claimIdleMs: number;
  readonly claimIntervalMs: number;
  readonly blockMs: number;
  readonly readCount: number;
  readonly policy: Partial<DeliveryPolicy>;
  readonly closeDeadlineMs: number;
}

const positiveInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v > 0;

export function resolveRedisOptions(options: RedisBrokerOptions = {}): ResolvedRedisOptions {
  const problems: string[] = [];
  const mode = options.mode ?? 'streams';
  if (mode !== 'streams' && mode !== 'pubsub')
    problems.push(`mode must be "streams" or "pubsub", got ${String(mode)}`);
  const url = options.url ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(url)) problems.push(`url must start with redis:// or rediss://, got ${url}`);
  const check = (name: string, value: unknown) => {
    if (value !== undefined && !positiveInt(value))
      problems.push(`${name} must be a positive integer, got ${String(value)}`);
  };
  check('claimIdleMs', options.claimIdleMs);
  check('claimIntervalMs', options.claimIntervalMs);
  check('blockMs', options.blockMs);
  check('readCount', options.readCount);
  check('closeDeadlineMs', options.closeDeadlineMs);
  if (options.trim) {
    check('trim.maxLen', options.trim.maxLen);
    check('trim.maxAgeMs', options.trim.maxAgeMs);
    if (options.trim.maxLen !== undefined && options.trim.maxAgeMs !== undefined) {
      problems.push('trim: give maxLen or maxAgeMs, not both (Redis applies one strategy per XADD)');
    }
    if (mode === 'pubsub') problems.push('trim applies to streams mode only');
  }
  if (problems.length > 0) throw new InvalidOptionError(`redis broker options: ${problems.join('; ')}`);
  const claimIdleMs = options.claimIdleMs ?? 30_000;
  return Object.freeze({
    url,
    redis: options.redis ?? {},
    mode,
    keyPrefix: options.keyPrefix ?? '',
    codec: options.codec,
    logger: options.logger ?? silentLogger,
    trim: options.trim,
    claimIdleMs,
    claimIntervalMs: options.claimIntervalMs ?? Math.max(1, Math.floor(claimIdleMs / 3)),
    blockMs: options.blockMs ?? 2_000,
    readCount: options.readCount ?? 256,
    policy: options.policy ?? {},
    closeDeadlineMs: options.closeDeadlineMs ?? 30_000,
  });
}
