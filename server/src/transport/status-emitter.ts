import type { BrokerStatus } from './broker.ts';

/**
 * Holds a broker's current status and tells listeners about changes. A listener that throws does not
 * stop the others (status reporting must never break the connection logic that calls it).
 */
export class StatusEmitter {
  private current: BrokerStatus = { type: 'idle' };
  private readonly listeners = new Set<(status: BrokerStatus) => void>();

  get status(): BrokerStatus {
    return this.current;
  }

  on(listener: (status: BrokerStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(status: BrokerStatus): void {
    this.current = status;
    for (const listener of [...this.listeners]) {
      try {
        listener(status);
      } catch {
        // A faulty listener is its owner's bug; the broker's state machine must carry on.
      }
    }
  }
}
