/**
 * The state consumer as a Server: positions from the broker into the store, geofence evaluation
 * (events published on the geofence topic), and the staleness sweep once a second.
 *
 * Scaled out (`geofenceGroup` set), every gateway evaluates every position but publishes only the
 * events of positions its member of that competing group is handed (GeofenceClaims). On a backend
 * with `replay`, the fan-out subscription starts `rebuildMs` in the past, so a gateway that starts
 * or restarts has every live vehicle and its recent trail before `ready()`.
 */
import type { GeofenceEvent, VehiclePosition } from '@realtimemap/shared';
import type { Logger } from 'pino';
import type { Broker, Subscription } from '../transport/broker.ts';
import type { Codec } from '../transport/codec.ts';
import type { Message } from '../transport/message.ts';
import type { Server } from '../transport/server.ts';
import { GeofenceClaims } from './geofence-claims.ts';
import type { GeofenceTracker } from './geofence-tracker.ts';
import { type GroupMembership, keepGroupMembership } from './group-membership.ts';
import { positionsCodec } from './positions-codec.ts';
import type { VehicleStore } from './vehicle-store.ts';

export interface StateServiceOptions {
  readonly broker: Broker;
  readonly store: VehicleStore;
  readonly tracker: GeofenceTracker;
  readonly logger: Logger;
  readonly positionsTopic: string;
  readonly geofenceTopic: string;
  /** Publish geofence events from this process (false: membership only, for REST). */
  readonly evaluateGeofences: boolean;
  /**
   * Competing group that decides which process publishes each position's events (one per
   * deployment). Absent: this process publishes every event (all-in-one).
   */
  readonly geofenceGroup?: string;
  /** Rebuild from this much history on start (backends with `replay`; 0 or absent = none). */
  readonly rebuildMs?: number;
  /** First retry delay after a failed geofence group join (default 500 ms, doubling to 30 s). */
  readonly groupRetryMs?: number;
  /** Handlers running at once on the positions subscriptions (default 1). */
  readonly maxInFlight?: number;
  readonly sweepIntervalMs?: number;
  /** Clock time for exit events of removed vehicles. */
  readonly clock: () => number;
}

export interface StateStats {
  readonly applied: number;
  readonly late: number;
  readonly geofenceEvents: number;
  /** Positions applied while rebuilding, and how long the rebuild took (undefined until done). */
  readonly rebuilt: number;
  readonly rebuildMs: number | undefined;
  /** Claims that gave up waiting for this process's own evaluation of the position. */
  readonly claimTimeouts: number;
  /** In the geofence group now (scaled out); failed joins and lost subscriptions so far. */
  readonly geofenceGroupJoined: boolean;
  readonly geofenceGroupFailures: number;
}

export interface StateService extends Server {
  /** False while the state is being rebuilt from the broker (then /readyz says not ready). */
  ready(): boolean;
  stats(): StateStats;
}

/** How long a claimed position may wait for this process's fan-out to evaluate it. */
const CLAIM_WAIT_MS = 10_000;
const NONE: readonly GeofenceEvent[] = [];

/** A positions message: one position, or a batch of them (the ingest's batching publisher). */
type PositionsMessage = VehiclePosition | readonly VehiclePosition[];

/** The ingest's compact batches, and JSON from single-position producers (positions-codec.ts). */
const wireFormat = positionsCodec as Codec<PositionsMessage>;

function positionsOf(value: PositionsMessage): readonly VehiclePosition[] {
  return Array.isArray(value) ? value : [value as VehiclePosition];
}

export function buildStateService(options: StateServiceOptions): StateService {
  const { broker, store, tracker, logger, clock } = options;
  const grouped = options.evaluateGeofences && options.geofenceGroup !== undefined;
  const claims = grouped ? new GeofenceClaims() : undefined;
  const subscriptions: Subscription[] = [];
  let timer: NodeJS.Timeout | undefined;
  let applied = 0;
  let late = 0;
  let geofenceEvents = 0;
  let rebuilding = false;
  let rebuilt = 0;
  let rebuildMs: number | undefined;
  let isReady = false;
  let stopped = false;

  const publishEvents = async (events: readonly GeofenceEvent[]): Promise<void> => {
    for (const event of events) {
      geofenceEvents++;
      await broker.publish(options.geofenceTopic, event, { key: event.vehicleId });
    }
  };

  /** Returns a promise only when it publishes (the hot path stays synchronous). */
  const onPosition = (position: VehiclePosition, timestamp: number): Promise<void> | undefined => {
    // Rebuilding: silence counts from when the broker took the position, not from now.
    const result = store.apply(position, rebuilding ? timestamp : undefined);
    applied++;
    if (rebuilding) rebuilt++;
    if (result === 'trail-only' || result === 'duplicate') late++;
    // Membership is kept everywhere (REST reads it); events are published by one process only.
    const events = result === 'created' || result === 'updated' ? tracker.evaluate(position) : NONE;
    if (claims) claims.evaluated(position.vehicleId, position.eventTime, events, clock());
    else if (options.evaluateGeofences && events.length > 0) return publishEvents(events);
    return undefined;
  };

  const onMessage = (m: Message<PositionsMessage>): Promise<void> | undefined => {
    const pending: Promise<void>[] = [];
    for (const p of positionsOf(m.value)) {
      const publishing = onPosition(p, m.timestamp);
      if (publishing) pending.push(publishing);
    }
    return pending.length > 0 ? Promise.all(pending).then(() => {}) : undefined;
  };

  const onClaim = async (m: Message<PositionsMessage>): Promise<void> => {
    const deadline = clock() + CLAIM_WAIT_MS;
    // Usually every position of the batch is evaluated already (claims answer at once); only the
    // rest wait. Events go out in the batch's order either way.
    const claimed = positionsOf(m.value).map((p) => claims!.claim(p.vehicleId, p.eventTime, deadline));
    for (const c of claimed) {
      const events = Array.isArray(c) ? c : await c;
      if (events && events.length > 0) await publishEvents(events);
    }
  };

  const sweep = () => {
    const { removed } = store.sweep();
    claims?.sweep(clock());
    const events = removed.flatMap((id) => {
      const exits = tracker.remove(id, clock());
      return claims && !claims.removed(id) ? [] : exits;
    });
    if (!options.evaluateGeofences || events.length === 0) return;
    publishEvents(events).catch((error: unknown) =>
      logger.warn({ err: error }, 'could not publish geofence exit events'),
    );
  };

  /** The geofence group, kept joined (retried with backoff) until stop(). */
  let membership: GroupMembership | undefined;
  const joinGroup = async (): Promise<void> => {
    if (!claims || stopped) return;
    membership = keepGroupMembership({
      name: options.geofenceGroup!,
      logger,
      ...(options.groupRetryMs ? { initialDelayMs: options.groupRetryMs } : {}),
      join: () =>
        broker.subscribe<PositionsMessage>(options.positionsTopic, onClaim, {
          group: options.geofenceGroup!,
          codec: wireFormat,
          maxInFlight: options.maxInFlight ?? 64,
        }),
    });
    // Ready does not wait for a join that keeps failing: this gateway serves its clients, and the
    // group's other members publish the events meanwhile.
    await membership.firstAttempt;
  };

  return {
    name: 'state',
    async start() {
      stopped = false;
      const window = options.rebuildMs ?? 0;
      const replay = window > 0 && broker.capabilities.replay === true;
      const began = clock();
      rebuilding = replay;
      const fanout = await broker.subscribe<PositionsMessage>(options.positionsTopic, onMessage, {
        codec: wireFormat,
        ...(options.maxInFlight ? { maxInFlight: options.maxInFlight } : {}),
        ...(replay ? { from: { time: began - window } } : {}),
      });
      subscriptions.push(fanout);
      timer = setInterval(sweep, options.sweepIntervalMs ?? 1000);
      timer.unref();
      if (!replay || !fanout.caughtUp) {
        rebuilding = false;
        await joinGroup();
        isReady = true;
        return;
      }
      // Not awaited: HTTP starts meanwhile (/healthz answers, /readyz says not ready yet).
      void fanout.caughtUp
        .then(async () => {
          rebuilding = false;
          rebuildMs = clock() - began;
          logger.info(
            { vehicles: store.size, positions: rebuilt, ms: rebuildMs },
            'state rebuilt from the broker',
          );
          await joinGroup();
          isReady = !stopped;
        })
        .catch((error: unknown) => logger.error({ err: error }, 'state: rebuild failed'));
    },
    async stop() {
      stopped = true;
      isReady = false;
      if (timer) clearInterval(timer);
      timer = undefined;
      // Claims waiting on an evaluation that will not come must not hold the group's close.
      claims?.release();
      const closing = subscriptions.splice(0);
      const leaving = membership;
      membership = undefined;
      await Promise.all([...closing.map((s) => s.close()), leaving?.stop()]);
      claims?.release();
    },
    ready: () => isReady,
    stats: () => ({
      applied,
      late,
      geofenceEvents,
      rebuilt,
      rebuildMs,
      claimTimeouts: claims?.stats().timedOut ?? 0,
      geofenceGroupJoined: membership?.joined() ?? false,
      geofenceGroupFailures: membership?.failures() ?? 0,
    }),
  };
}
