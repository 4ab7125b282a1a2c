/**
 * A small read-only window hook for the end-to-end tests and the benchmark: which vehicles are drawn
 * and where, the map, and frame/apply timings. `inject` feeds a server message through the same path
 * as the socket (the benchmark's synthetic city).
 */
import type { ServerMessage } from '@realtimemap/shared';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { LiveClient } from './live/live-client.ts';
import type { MapController } from './map/map-controller.ts';
import type { RenderedVehicle } from './map/vehicle-features.ts';
import type { UiState } from './state/ui-store.ts';

export interface RealtimemapDebug {
  readonly map: MapLibreMap | null;
  /**
   * Base style loaded and its own sources (land, network or the online tiles) loaded once. MapLibre's
   * `idle` rarely fires while vehicles move (every frame changes the vehicle source), so wait on this.
   */
  ready(): boolean;
  renderedVehicles(): RenderedVehicle[];
  ui(): UiState;
  stats(): {
    frames: number;
    workMs: number;
    lastWorkMs: number;
    lastApplyMs: number;
    applyCount: number;
    applyMsTotal: number;
    applyMsMax: number;
    vehicles: number;
    badFrames: number;
    buffered: number;
  };
  inject(message: ServerMessage): void;
  flush(): number;
}

declare global {
  interface Window {
    __realtimemap?: RealtimemapDebug;
  }
}

export function installDebugHook(map: MapController, live: LiveClient, ui: () => UiState): void {
  window.__realtimemap = {
    get map() {
      return map.map;
    },
    ready: () => map.isBaseReady(),
    renderedVehicles: () => map.rendered.map((v) => ({ ...v })),
    ui,
    stats: () => ({
      ...map.stats,
      lastApplyMs: live.lastApplyMs,
      applyCount: live.applyCount,
      applyMsTotal: live.applyMsTotal,
      applyMsMax: live.applyMsMax,
      vehicles: live.store.vehicles.size,
      badFrames: live.badFrames,
      buffered: live.buffer.size,
    }),
    inject: (message) => live.receive(message),
    flush: () => live.flush(),
  };
}
