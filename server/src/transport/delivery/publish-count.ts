/**
 * A count of publishes the backend has not confirmed yet, so close() can wait for them without a
 * promise per publish. `settled` is a bound function: pass it straight to `.then`.
 */
export class PublishCount {
  #pending = 0;
  #waiters: Array<() => void> = [];

  get pending(): number {
    return this.#pending;
  }

  /** One more publish in flight. */
  started(): void {
    this.#pending++;
  }

  /** One publish confirmed or failed. */
  readonly settled = (): undefined => {
    if (--this.#pending > 0 || this.#waiters.length === 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  };

  /** Resolves once nothing is in flight (at once if nothing is). */
  idle(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
