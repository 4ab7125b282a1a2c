/** Helpers for the conformance suite (and backend tests): random topics, polling waits, collectors. */
import { randomUUID } from 'node:crypto';
import type { Handler, Message } from '../../../src/transport/message.ts';

/** A fresh topic per test, `.`-separated so every backend (and wildcard mapping) accepts it. */
export function randomTopic(tag: string): string {
  return `rtm.conf.${tag}.${randomUUID().slice(0, 8)}`;
}

/** Polls `condition` every few ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets pending I/O and timers run a little (used only to give a wrong outcome the chance to show). */
export function settle(ms = 50): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Records every message a handler gets. */
export class Collector<T = unknown> {
  readonly messages: Message<T>[] = [];
  readonly handler: Handler<T> = (m) => {
    this.messages.push(m);
  };
  get count(): number {
    return this.messages.length;
  }
  values(): T[] {
    return this.messages.map((m) => m.value);
  }
  until(n: number, what = `${n} messages`, timeoutMs?: number): Promise<void> {
    return waitFor(() => this.messages.length >= n, `${what} (have ${this.messages.length})`, timeoutMs);
  }
}

/** A promise with its resolve function, for holding a handler until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => {
    open = r;
  });
  return { promise, open };
}
