export { capabilities, createMqttBroker, KEY_PROPERTY } from './mqtt-broker.ts';
export type { MqttBrokerOptions } from './options.ts';
