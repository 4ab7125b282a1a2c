/** The state consumer's counters on the process's Prometheus registry (read at scrape time). */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { StateStats } from '../state/state-service.ts';

export function registerStateMetrics(registry: Registry, read: () => StateStats): void {
  const counter = (name: string, help: string, pick: (s: StateStats) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(pick(read()));
      },
    });
  counter('rtm_state_positions_applied_total', 'Positions applied to the store', (s) => s.applied);
  counter(
    'rtm_state_positions_late_total',
    'Positions older than the latest (trail only or duplicate)',
    (s) => s.late,
  );
  counter(
    'rtm_state_geofence_events_total',
    'Geofence events published by this process',
    (s) => s.geofenceEvents,
  );
  counter(
    'rtm_state_rebuilt_positions_total',
    'Positions replayed from the broker at start',
    (s) => s.rebuilt,
  );
  counter(
    'rtm_state_geofence_group_failures_total',
    'Failed geofence group joins and group subscriptions lost (each retried with backoff)',
    (s) => s.geofenceGroupFailures,
  );
  new Gauge({
    name: 'rtm_state_geofence_group_joined',
    help: 'Whether this gateway is in the geofence group now (1) or retrying (0)',
    registers: [registry],
    collect() {
      this.set(read().geofenceGroupJoined ? 1 : 0);
    },
  });
  new Gauge({
    name: 'rtm_state_rebuild_seconds',
    help: 'How long the start-up rebuild from the broker took (absent until done)',
    registers: [registry],
    collect() {
      const ms = read().rebuildMs;
      if (ms !== undefined) this.set(ms / 1000);
    },
  });
}
