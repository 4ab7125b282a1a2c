/**
 * Keeps a subscription in a competing group for as long as the process runs: a join that fails (the
 * broker or its group coordinator is away) is tried again with backoff, and so is one whose
 * subscription later ends with an error. A gateway must not give up its share of the geofence group
 * for good over one failed attempt; meanwhile the group's other members take its share.
 */
import type { Logger } from 'pino';
import type { Subscription } from '../transport/broker.ts';

export interface GroupMembershipOptions {
  /** Subscribes to the group (called again after each failure). */
  readonly join: () => Promise<Subscription>;
  readonly logger: Logger;
  /** What the log lines call the group. */
  readonly name: string;
  /** Backoff: the first delay, doubled per failure up to maxDelayMs, +-20% jitter. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface GroupMembership {
  /** Resolves after the first attempt: true when it joined. Later attempts go on either way. */
  readonly firstAttempt: Promise<boolean>;
  joined(): boolean;
  /** Failed joins and subscriptions that ended with an error, since start. */
  failures(): number;
  /** Stops retrying and closes the subscription (acks what its handlers finished). */
  stop(): Promise<void>;
}

export function keepGroupMembership(options: GroupMembershipOptions): GroupMembership {
  const initial = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  let stopped = false;
  let current: Subscription | undefined;
  let failures = 0;
  let wake: (() => void) | undefined;
  let settleFirst!: (joined: boolean) => void;
  const firstAttempt = new Promise<boolean>((resolve) => {
    settleFirst = resolve;
  });

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const run = async (): Promise<void> => {
    for (let attempt = 1; !stopped; ) {
      try {
        const sub = await options.join();
        if (stopped) {
          await sub.close();
          return;
        }
        current = sub;
        attempt = 1;
        settleFirst(true);
        const error = await sub.closed;
        current = undefined;
        if (stopped || !error) return;
        failures++;
        options.logger.warn({ err: error, group: options.name }, 'group subscription ended; joining again');
      } catch (error) {
        failures++;
        settleFirst(false);
        if (stopped) return;
        const delayMs = Math.min(max, initial * 2 ** (attempt - 1)) * (0.8 + 0.4 * Math.random());
        options.logger.warn(
          { err: error, group: options.name, attempt, retryInMs: Math.round(delayMs) },
          'joining the group failed; retrying',
        );
        attempt++;
        await pause(delayMs);
      }
    }
  };
  const running = run();

  return {
    firstAttempt,
    joined: () => current !== undefined,
    failures: () => failures,
    async stop() {
      stopped = true;
      settleFirst(false);
      wake?.();
      const sub = current;
      current = undefined;
      await sub?.close();
      await running;
    },
  };
}
