/**
 * A small read-only window hook for the end-to-end tests and the benchmark: which vehicles are drawn
 * and where, the map, and frame/apply timings. `inject` feeds a server message through the same path
 * as the socket (the benchmark's synthetic city).
 */
import type { ServerMessage } from '@realtimemap/shared';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { LiveClient } from './live/live-client.ts';
import type { MapController } from './map/map-controller.ts';
import type { RenderedVehicle } from './map/vehicle-instances.ts';
import type { UiState } from './state/ui-store.ts';

export interface RealtimemapDebug {
  readonly map: MapLibreMap | null;
  /**
   * Base style loaded and its own sources (land, network or the online tiles) loaded once. MapLibre's
   * `idle` rarely fires while the GL vehicle layer repaints the map for moving vehicles, so wait on this.
   */
  ready(): boolean;
  /** The vehicles drawn in the last frame, at the positions drawn (the renderers' instance data). */
  renderedVehicles(): RenderedVehicle[];
  /** The vehicle drawn under a map-canvas pixel (CSS px), as a click would hit it. */
  vehicleIdAt(x: number, y: number): string | undefined;
  ui(): UiState;
  /** Which vehicle renderer this page uses: 'gl' (in the map) or 'canvas' (2D overlay). */
  renderer(): 'gl' | 'canvas';
  stats(): {
    frames: number;
    workMs: number;
    lastWorkMs: number;
    draws: number;
    drawMs: number;
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
    vehicleIdAt: (x, y) => map.vehicleIdAt(x, y),
    renderedVehicles: () => map.renderedVehicles(),
    ui,
    renderer: () => map.renderer,
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
