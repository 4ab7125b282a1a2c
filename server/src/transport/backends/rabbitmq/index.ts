export type { RabbitmqBrokerOptions } from './options.ts';
export { capabilities, createRabbitmqBroker } from './rabbitmq-broker.ts';
export { DEAD_LETTER_GROUP } from './rabbitmq-subscription.ts';
