/**
 * The gateway's error catalogue (GATEWAY_*) and its WebSocket close codes (4000-4999 are ours).
 * The close reason is the stable code, so clients can tell why they were dropped.
 */
export const CLOSE = {
  /** Stayed above the buffer high-water mark for longer than the slow-consumer limit. */
  slowConsumer: { code: 4008, reason: 'GATEWAY_SLOW_CONSUMER' },
  /** Missed a heartbeat. */
  heartbeat: { code: 4002, reason: 'GATEWAY_HEARTBEAT_TIMEOUT' },
  /** Server shutting down: reconnect (to another instance). */
  shutdown: { code: 1001, reason: 'GATEWAY_SHUTDOWN' },
} as const;

export class GatewayError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Codes sent in `error` messages to a client (the connection stays open). */
export const GATEWAY_BAD_MESSAGE = 'GATEWAY_BAD_MESSAGE';
/** Upgrade refused: too many connections (HTTP 503). */
export const GATEWAY_TOO_MANY_CLIENTS = 'GATEWAY_TOO_MANY_CLIENTS';
/** Upgrade refused: Origin not allowed (HTTP 403). */
export const GATEWAY_ORIGIN_REJECTED = 'GATEWAY_ORIGIN_REJECTED';
