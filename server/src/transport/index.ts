/**
 * The transport layer's public entry: the app imports from here only (backends through createBroker
 * or their own `backends/<name>/index.ts`). Nothing here starts a timer or a socket on import.
 */
export {
  App,
  type AppOptions,
  AppStartError,
  type AppState,
  AppStopError,
  type SignalSource,
} from './app/app.ts';
export { SubscriberServer, type SubscriberServerOptions } from './app/subscriber-server.ts';
export type {
  Broker,
  BrokerStatus,
  Capabilities,
  DeliveryPolicy,
  PublishOptions,
  SubscribeOptions,
  Subscription,
} from './broker.ts';
export type { Codec } from './codec.ts';
export { codecForContentType, jsonCodec, msgpackCodec, rawCodec } from './codecs/index.ts';
export { BACKENDS, type BackendName, type BrokerConfig, createBroker } from './create-broker.ts';
export { DEFAULT_DELIVERY_POLICY, resolvePolicy } from './delivery/policy.ts';
export { newTraceparent, parseTraceparent, type TraceContext } from './delivery/traceparent.ts';
export { currentTraceContext, withTracing } from './delivery/tracing.ts';
export * from './errors.ts';
export { silentLogger, type TransportLogger } from './logger.ts';
export { type Handler, HEADER, type Headers, type Message } from './message.ts';
export type { Server } from './server.ts';
export { compileMatcher, isPattern, matchTopic } from './topics/wildcards.ts';
export {
  type MessageCheck,
  type TypedMessage,
  type WebSocketServerOptions,
  WebSocketServerTransport,
} from './websocket/websocket-server.ts';
export type { SendQueueOptions, SendResult, WebSocketSession } from './websocket/websocket-session.ts';
