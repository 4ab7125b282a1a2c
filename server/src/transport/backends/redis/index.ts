export type { RedisBrokerOptions, RedisMode, RedisTrim } from './options.ts';
export { capabilities, capabilitiesByMode, createRedisBroker } from './redis-broker.ts';
