/** Holds the broker's current status and tells listeners about every change. */
import type { BrokerStatus } from '../../broker.ts';

export class StatusTracker {
  #status: BrokerStatus = { type: 'idle' };
  readonly #listeners = new Set<(status: BrokerStatus) => void>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  get current(): BrokerStatus {
    return this.#status;
  }

  set(status: BrokerStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) {
      try {
        listener(status);
      } catch (error) {
        // A faulty listener must not stop the others nor the connection loop.
        this.#onListenerError(error);
      }
    }
  }

  on(listener: (status: BrokerStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
