/**
 * Prometheus metrics on a registry of our own (no global): counters read from each part's stats()
 * at scrape time, plus the gateway's frame latency histogram observed as frames go out.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricSources {
  readonly feed?: () =>
    | {
        readonly received: number;
        readonly accepted: number;
        readonly upcoming: number;
        readonly duplicates: number;
        readonly rejected: Readonly<Record<string, number>>;
        readonly messagesPerSecond: number;
      }
    | undefined;
  readonly vehicles: () => number;
  readonly gateway?: () => {
    readonly clients: number;
    readonly frames: number;
    readonly bytes: number;
    readonly updates: number;
    readonly coalesced: number;
    readonly slowClosed: number;
    readonly rejected: number;
  };
}

export interface Metrics {
  readonly registry: Registry;
  observeFrameLatency(ms: number): void;
}

export function buildMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const total = (name: string, help: string, read: () => number | undefined) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const v = read();
        this.reset();
        if (v !== undefined) this.inc(v);
      },
    });
  const gauge = (name: string, help: string, read: () => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const v = read();
        if (v !== undefined) this.set(v);
      },
    });
  total('rtm_feed_received_total', 'HFP messages received', () => sources.feed?.()?.received);
  total('rtm_feed_accepted_total', 'HFP messages accepted as positions', () => sources.feed?.()?.accepted);
  total(
    'rtm_feed_upcoming_total',
    'HFP messages about a journey not yet started (counted, not published)',
    () => sources.feed?.()?.upcoming,
  );
  total('rtm_feed_duplicates_total', 'Exact duplicates dropped', () => sources.feed?.()?.duplicates);
  new Counter({
    name: 'rtm_feed_rejected_total',
    help: 'HFP messages rejected, by reason',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(sources.feed?.()?.rejected ?? {})) this.inc({ reason }, n);
    },
  });
  gauge('rtm_feed_messages_per_second', 'Ingest rate', () => sources.feed?.()?.messagesPerSecond);
  gauge('rtm_vehicles', 'Vehicles held', sources.vehicles);
  gauge('rtm_ws_clients', 'Connected WebSocket clients', () => sources.gateway?.().clients);
  total('rtm_ws_frames_total', 'Frames sent', () => sources.gateway?.().frames);
  total('rtm_ws_bytes_total', 'Bytes sent', () => sources.gateway?.().bytes);
  total('rtm_ws_updates_total', 'Vehicle updates delivered', () => sources.gateway?.().updates);
  total(
    'rtm_ws_coalesced_total',
    'Client ticks coalesced (socket above high-water)',
    () => sources.gateway?.().coalesced,
  );
  total('rtm_ws_slow_closed_total', 'Clients closed as too slow', () => sources.gateway?.().slowClosed);
  total('rtm_ws_rejected_total', 'Upgrades refused (origin, limit)', () => sources.gateway?.().rejected);
  const latency = new Histogram({
    name: 'rtm_ws_frame_latency_seconds',
    help: 'From a position entering the server to its frame leaving it (oldest position per frame)',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { registry, observeFrameLatency: (ms) => latency.observe(ms / 1000) };
}
