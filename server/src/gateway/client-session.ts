/**
 * One connected client: what it sees (viewport cells, filter, followed vehicle) and its backpressure
 * state. Memory is bounded: at most `maxPending` coalesced ids, beyond that a fresh snapshot is owed.
 */
import type { Duplex } from 'node:stream';
import type { FilterMessage, TransportMode } from '@realtimemap/shared';
import type { WebSocket } from 'ws';
import type { CellView } from './grid.ts';

export class ClientSession {
  view: CellView | undefined;
  modes: ReadonlySet<TransportMode> | undefined;
  routes: ReadonlySet<string> | undefined;
  follow: string | null = null;
  /** Ids changed while the socket was over its high-water mark: sent as their latest state later. */
  readonly pending = new Set<string>();
  /** Too much was coalesced: the next frame this client can take is a full snapshot. */
  owesSnapshot = false;
  /** Since when the buffer has been above the high-water mark (clock ms). */
  slowSince: number | undefined;
  alive = true;

  constructor(
    readonly id: number,
    readonly socket: WebSocket,
    /** The connection under `socket`: corked around a turn's frames so they leave in one write. */
    readonly wire: Duplex,
  ) {}

  get filtered(): boolean {
    return this.modes !== undefined || this.routes !== undefined;
  }

  setFilter(filter: FilterMessage): void {
    this.modes = filter.modes && filter.modes.length > 0 ? new Set(filter.modes) : undefined;
    this.routes = filter.routes && filter.routes.length > 0 ? new Set(filter.routes) : undefined;
  }

  /** Routes match by route id (`1064`) or by line (`64`), whichever the client sent. */
  passes(mode: TransportMode, routeId: string | null, line: string | null): boolean {
    if (this.modes && !this.modes.has(mode)) return false;
    if (
      this.routes &&
      !((routeId !== null && this.routes.has(routeId)) || (line !== null && this.routes.has(line)))
    ) {
      return false;
    }
    return true;
  }
}
