/**
 * Test support: a map client over WebSocket that, like the web app behind a load balancer, moves to
 * the next gateway when its connection drops. Records every vehicle state it is sent (by vehicle and
 * event time) and every geofence event.
 */
import {
  decodeServerMessage,
  encodeClientMessage,
  type GeofenceEvent,
  type ServerMessage,
  type VehicleState,
} from '@realtimemap/shared';
import { WebSocket } from 'ws';

const HELSINKI: readonly [number, number, number, number] = [24.5, 59.9, 25.5, 60.5];

export class MapClient {
  /** vehicle id -> event time -> [lat, lon]. */
  readonly seen = new Map<string, Map<number, readonly [number, number]>>();
  readonly geofenceEvents: GeofenceEvent[] = [];
  /** Connections opened so far, and the URL of the current one. */
  connections = 0;
  current = '';
  /** Newest event time received, across vehicles. */
  newest = 0;
  #socket: WebSocket | undefined;
  #next = 0;
  #closed = false;

  constructor(private readonly urls: readonly string[]) {
    this.#connect();
  }

  vehicles(): Set<string> {
    return new Set(this.seen.keys());
  }

  close(): void {
    this.#closed = true;
    this.#socket?.terminate();
  }

  #connect(): void {
    if (this.#closed) return;
    const url = this.urls[this.#next % this.urls.length]!;
    const socket = new WebSocket(url);
    this.#socket = socket;
    socket.on('open', () => {
      this.connections++;
      this.current = url;
      socket.send(encodeClientMessage({ type: 'viewport', bbox: HELSINKI, zoom: 10 }));
    });
    socket.on('message', (data, isBinary) => {
      this.#receive(decodeServerMessage(isBinary ? new Uint8Array(data as Buffer) : data.toString()));
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.#closed) return;
      // The gateway went away (or refused us): try the next one shortly, as a browser would.
      this.#next++;
      setTimeout(() => this.#connect(), 200);
    });
  }

  #receive(message: ServerMessage): void {
    if (message.type === 'snapshot') for (const v of message.vehicles) this.#record(v);
    else if (message.type === 'batch') for (const v of message.updates) this.#record(v);
    else if (message.type === 'geofence') this.geofenceEvents.push(message.event);
  }

  #record(v: VehicleState): void {
    let times = this.seen.get(v.vehicleId);
    if (!times) {
      times = new Map();
      this.seen.set(v.vehicleId, times);
    }
    times.set(v.eventTime, [v.lat, v.lon]);
    if (v.eventTime > this.newest) this.newest = v.eventTime;
  }
}
