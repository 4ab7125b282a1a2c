/** The Kafka backend's public entry: the factory, its options and capabilities. kafkajs stays inside. */

export { KafkaSubscribeError } from './errors.ts';
export { capabilities, createKafkaBroker } from './kafka-broker.ts';
export type { KafkaNativeMessage } from './kafka-subscription.ts';
export type { KafkaBrokerOptions, KafkaSaslOptions } from './options.ts';
