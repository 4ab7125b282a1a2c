/**
 * Promises a broker has handed out and close() must wait for (publishes that waited for a
 * connection, starts in progress): each is forgotten once it settles. For publishes counted without
 * a promise of their own, see PublishCount.
 */
export class PendingPromises {
  readonly #pending = new Set<Promise<unknown>>();

  /** Remembers `work` until it settles; returns it unchanged. */
  track<R>(work: Promise<R>): Promise<R> {
    this.#pending.add(work);
    const forget = () => {
      this.#pending.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  /** Resolves once every promise tracked so far has settled (never rejects). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }
}
