/** Delivery building blocks every backend shares: policy, backoff, handler runs, dead letters, ordering. */
export { backoffDelay } from './backoff.ts';
export { buildMessage, type MessageFields, withAttempt } from './build-message.ts';
export {
  type DeadLetterOutcome,
  type DeadLetterSource,
  deadLetterHeaders,
  publishDeadLetter,
} from './dead-letter.ts';
export { type Deadline, DeadlineSweep } from './deadline-sweep.ts';
export { type DecodeResult, decodeMessage, pickCodec } from './decode-message.ts';
export { Fifo } from './fifo.ts';
export { buildPublishHeaders, newMessageId, normalizeHeaders } from './headers.ts';
export { KeyedScheduler } from './keyed-scheduler.ts';
export { LocalDelivery, type LocalDeliveryOptions, type LocalIncoming } from './local-delivery.ts';
export { PendingPromises } from './pending-promises.ts';
export { DEAD_LETTER_SUFFIX, DEFAULT_DELIVERY_POLICY, deadLetterTopicFor, resolvePolicy } from './policy.ts';
export { PublishCount } from './publish-count.ts';
export {
  continueLocally,
  deliverLocally,
  type RetryLocallyOptions,
  type RetryOutcome,
  retryLocally,
} from './retry-locally.ts';
export { attemptHandler, type HandlerResult, runHandler, toError } from './run-handler.ts';
export { sleep } from './sleep.ts';
export { newTraceparent, parseTraceparent, type TraceContext } from './traceparent.ts';
export { currentTraceContext, withTracing } from './tracing.ts';
