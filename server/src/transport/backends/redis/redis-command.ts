/**
 * Sends one Redis command by name through ioredis' named method (`xadd`, `xreadgroupBuffer`, ...).
 * Not `redis.call()`: with enableAutoPipelining, ioredis 5 drops the command name of call() /
 * callBuffer() when it pipelines them. The named methods also spare us ioredis' long overload lists.
 */
import type Redis from 'ioredis';

type Send = (...args: (string | Buffer)[]) => Promise<unknown>;

function method(redis: Redis, name: string): Send {
  const fn = (redis as unknown as Record<string, Send | undefined>)[name];
  if (typeof fn !== 'function') throw new TypeError(`ioredis has no command ${name}`);
  return fn.bind(redis);
}

/** Replies decoded as UTF-8 strings. */
export function redisCommand(redis: Redis, name: string, ...args: (string | Buffer)[]): Promise<unknown> {
  return method(redis, name.toLowerCase())(...args);
}

/** Replies as Buffers (payload bytes stay binary). */
export function redisCommandBuffer(
  redis: Redis,
  name: string,
  ...args: (string | Buffer)[]
): Promise<unknown> {
  return method(redis, `${name.toLowerCase()}Buffer`)(...args);
}
