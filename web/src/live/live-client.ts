/**
 * The live data side of the page, React-free: connection, message buffer, vehicle store, and the
 * timers that flush the buffer (every FLUSH_MS) and refresh the status figures (every second).
 * Follows the UI store: a change of filter or selection is sent to the server at once.
 */
import type { BBox, ClientMessage, RouteSummary, ServerMessage } from '@realtimemap/shared';
import type { UiStore } from '../state/ui-store.ts';
import { handleServerMessage } from './handle-server-message.ts';
import { LiveConnection } from './live-connection.ts';
import { MessageBuffer } from './message-buffer.ts';
import { RateLimiter } from './rate-limiter.ts';
import { RateMeter } from './rate-meter.ts';
import { VehicleStore } from './vehicle-store.ts';

export const FLUSH_MS = 100;
const ROUTES_REFRESH_MS = 10_000;

export interface LiveClientOptions {
  readonly wsUrl: string;
  readonly ui: UiStore;
  readonly fetchJson: <T>(path: string) => Promise<T>;
  readonly now?: () => number;
}

export class LiveClient {
  readonly store = new VehicleStore();
  readonly buffer = new MessageBuffer();
  readonly updates = new RateMeter(5_000);
  /** Duration of the last buffer flush (ms), for the debug hook and the benchmark. */
  lastApplyMs = 0;
  applyCount = 0;
  applyMsTotal = 0;
  applyMsMax = 0;
  lastUpdateAt: number | null = null;
  private readonly connection: LiveConnection;
  private readonly limiter = new RateLimiter(3, 5_000);
  private viewport: { bbox: BBox; zoom: number } | null = null;
  private timers: ReturnType<typeof setInterval>[] = [];
  private unsubscribe: (() => void) | null = null;
  private readonly now: () => number;
  /** Bumped on geofence events: the organization panel refetches on change. */
  geofenceEvents = 0;

  constructor(private readonly options: LiveClientOptions) {
    this.now = options.now ?? (() => performance.now());
    this.connection = new LiveConnection({
      url: options.wsUrl,
      onMessage: (m) => this.receive(m),
      onState: (connection) => options.ui.setState({ connection }),
      greeting: () => this.greeting(),
    });
  }

  start(): void {
    this.connection.start();
    this.timers.push(setInterval(() => this.flush(), FLUSH_MS));
    this.timers.push(setInterval(() => this.publishStatus(), 1_000));
    this.timers.push(setInterval(() => void this.refreshRoutes(), ROUTES_REFRESH_MS));
    void this.refreshRoutes();
    let prev = this.options.ui.getState();
    this.unsubscribe = this.options.ui.subscribe((s) => {
      if (s.modes !== prev.modes || s.routes !== prev.routes) this.send(this.filterMessage());
      if (s.selectedId !== prev.selectedId) this.send({ type: 'follow', vehicleId: s.selectedId });
      prev = s;
    });
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.unsubscribe?.();
    this.connection.stop();
  }

  /** Entry for every server message: from the socket, or injected by the debug hook. */
  get badFrames(): number {
    return this.connection.badFrames;
  }

  receive(message: ServerMessage): void {
    handleServerMessage(
      message,
      {
        buffer: this.buffer,
        ui: this.options.ui,
        toastLimiter: this.limiter,
        onGeofence: () => {
          this.geofenceEvents++;
        },
      },
      Date.now(),
    );
  }

  setViewport(bbox: BBox, zoom: number): void {
    this.viewport = { bbox, zoom };
    this.send({ type: 'viewport', bbox, zoom });
  }

  flush(): number {
    const t0 = performance.now();
    const applied = this.buffer.flush(this.store, this.now());
    if (applied > 0) {
      this.lastApplyMs = performance.now() - t0;
      this.applyCount++;
      this.applyMsTotal += this.lastApplyMs;
      this.applyMsMax = Math.max(this.applyMsMax, this.lastApplyMs);
      this.updates.add(applied, this.now());
      this.lastUpdateAt = Date.now();
    }
    return applied;
  }

  private send(message: ClientMessage): void {
    this.connection.send(message);
  }

  private filterMessage(): ClientMessage {
    const { modes, routes } = this.options.ui.getState();
    return { type: 'filter', modes, routes };
  }

  private greeting(): ClientMessage[] {
    const out: ClientMessage[] = [];
    if (this.viewport) out.push({ type: 'viewport', ...this.viewport });
    out.push(this.filterMessage());
    const selected = this.options.ui.getState().selectedId;
    if (selected) out.push({ type: 'follow', vehicleId: selected });
    return out;
  }

  private publishStatus(): void {
    this.options.ui.setState({
      updatesPerSecond: Math.round(this.updates.perSecond(this.now()) * 10) / 10,
      lastUpdateAt: this.lastUpdateAt,
    });
  }

  private async refreshRoutes(): Promise<void> {
    try {
      const routes = await this.options.fetchJson<RouteSummary[]>('/api/routes');
      if (Array.isArray(routes)) this.options.ui.setState({ activeRoutes: routes });
    } catch {
      // The server may be restarting; the next refresh tries again and the list keeps its last value.
    }
  }
}
