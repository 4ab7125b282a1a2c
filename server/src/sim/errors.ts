/** The sim area's error catalogue: one class, stable `SIM_` codes. */
export const SIM_ERROR = {
  brokerListen: 'SIM_BROKER_LISTEN',
  networkInvalid: 'SIM_NETWORK_INVALID',
  gtfsInvalid: 'SIM_GTFS_INVALID',
  captureInvalid: 'SIM_CAPTURE_INVALID',
  notStarted: 'SIM_NOT_STARTED',
  mqtt: 'SIM_MQTT',
} as const;

export type SimErrorCode = (typeof SIM_ERROR)[keyof typeof SIM_ERROR];

export class SimError extends Error {
  override readonly name = 'SimError';
  constructor(
    readonly code: SimErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
