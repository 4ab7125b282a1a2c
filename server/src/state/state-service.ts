/**
 * The state consumer as a Server: positions from the broker into the store, geofence evaluation
 * (events published on the geofence topic), and the staleness sweep once a second.
 */
import type { GeofenceEvent, VehiclePosition } from '@realtimemap/shared';
import type { Logger } from 'pino';
import type { Broker, Subscription } from '../transport/broker.ts';
import type { Server } from '../transport/server.ts';
import type { GeofenceTracker } from './geofence-tracker.ts';
import type { VehicleStore } from './vehicle-store.ts';

export interface StateServiceOptions {
  readonly broker: Broker;
  readonly store: VehicleStore;
  readonly tracker: GeofenceTracker;
  readonly logger: Logger;
  readonly positionsTopic: string;
  readonly geofenceTopic: string;
  /** Evaluate geofences here (all-in-one); false when another process does it. */
  readonly evaluateGeofences: boolean;
  readonly sweepIntervalMs?: number;
  /** Clock time for exit events of removed vehicles. */
  readonly clock: () => number;
}

export interface StateService extends Server {
  stats(): { readonly applied: number; readonly late: number; readonly geofenceEvents: number };
}

export function buildStateService(options: StateServiceOptions): StateService {
  const { broker, store, tracker, logger } = options;
  let subscription: Subscription | undefined;
  let timer: NodeJS.Timeout | undefined;
  let applied = 0;
  let late = 0;
  let geofenceEvents = 0;

  const publishEvents = async (events: readonly GeofenceEvent[]): Promise<void> => {
    for (const event of events) {
      geofenceEvents++;
      await broker.publish(options.geofenceTopic, event, { key: event.vehicleId });
    }
  };

  return {
    name: 'state',
    async start() {
      subscription = await broker.subscribe<VehiclePosition>(options.positionsTopic, async (message) => {
        const position = message.value;
        const result = store.apply(position);
        applied++;
        if (result === 'trail-only' || result === 'duplicate') late++;
        if (result === 'created' || result === 'updated') {
          // Membership is kept everywhere (REST reads it); events are published by one evaluator only.
          const events = tracker.evaluate(position);
          if (options.evaluateGeofences) await publishEvents(events);
        }
      });
      timer = setInterval(() => {
        const { removed } = store.sweep();
        const events = removed.flatMap((id) => tracker.remove(id, options.clock()));
        if (!options.evaluateGeofences) return;
        publishEvents(events).catch((error: unknown) =>
          logger.warn({ err: error }, 'could not publish geofence exit events'),
        );
      }, options.sweepIntervalMs ?? 1000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await subscription?.close();
      subscription = undefined;
    },
    stats: () => ({ applied, late, geofenceEvents }),
  };
}
