/**
 * Owns the MapLibre map, React-free. One requestAnimationFrame loop moves the vehicles only while
 * something moves or changed: it writes their interpolated positions into typed arrays in place and has
 * them drawn once a vehicle moved half a pixel, either by the WebGL layer inside MapLibre's frame
 * (vehicle-gl-layer.ts) or, when WebGL is software-rendered, on a 2D canvas over the map without
 * repainting the map (vehicle-canvas-layer.ts; see vehicle-renderer.ts). React never sees per-frame data. Also: base style with offline fallback, viewport -> server, follow mode,
 * click hit-testing, the selected vehicle's live trail, geofences, URL state.
 */

import type { BBox, ClientConfig, Geofence, Trail } from '@realtimemap/shared';
import type { FeatureCollection } from 'geojson';
import maplibregl, {
  type GeoJSONSource,
  type Map as MapLibreMap,
  type StyleSpecification,
} from 'maplibre-gl';
import { approxDistanceMeters, MAX_SLIDE_MS } from '../live/interpolate.ts';
import type { LiveClient } from '../live/live-client.ts';
import type { NearVehicle, UiState, UiStore } from '../state/ui-store.ts';
import { formatUrlState, type UrlState } from '../state/url-state.ts';
import { loadOnlineStyle } from './base-style.ts';
import { installCanvasImages } from './canvas-images.ts';
import { geofencesToGeoJson } from './geofence-geojson.ts';
import { LabelAtlas } from './label-atlas.ts';
import { offlineStyle } from './offline-style.ts';
import { GEOFENCE_SOURCE, installOverlays, TRAIL_SOURCE, USER_SOURCE } from './overlay-layers.ts';
import { VehicleCanvasLayer } from './vehicle-canvas-layer.ts';
import { VehicleGlLayer } from './vehicle-gl-layer.ts';
import { vehicleAt } from './vehicle-hit-test.ts';
import {
  type LabelLookup,
  mercatorX,
  mercatorY,
  type RenderedVehicle,
  VehicleInstances,
} from './vehicle-instances.ts';
import type { VehicleRendererKind } from './vehicle-renderer.ts';
import { vehicleSizes } from './vehicle-sizes.ts';

const VIEWPORT_THROTTLE_MS = 400;
/** Viewport sent to the server is padded so vehicles just off-screen are already there when panned in. */
const VIEWPORT_PAD = 0.15;
/** The followed vehicle's trail head is redrawn this often (a GeoJSON setData, so not every frame). */
const TRAIL_HEAD_MS = 200;
/**
 * The map is repainted for moving vehicles only once one of them has moved this far on screen since the
 * last paint. A bus at 10 m/s crosses about a pixel a second at zoom 13, so repainting all 60 frames
 * would redraw the same picture; with a software GPU every repaint costs tens of milliseconds.
 */
const REPAINT_PX = 0.5;
const EARTH_CIRCUMFERENCE_M = 40_075_017;
const NO_LABELS: LabelLookup = { rect: () => null };
/** Pointer hit-tests (for the cursor) at most this often. */
const HOVER_MS = 100;

export interface MapControllerOptions {
  readonly container: HTMLElement;
  readonly ui: UiStore;
  readonly live: LiveClient;
  readonly config: ClientConfig;
  readonly initial: UrlState;
  readonly fetchJson: <T>(path: string) => Promise<T>;
  readonly origin: string;
  readonly renderer: VehicleRendererKind;
}

export interface FrameStats {
  frames: number;
  /** Sum of the loop's own work (choosing and styling vehicles, interpolating positions), ms. */
  workMs: number;
  lastWorkMs: number;
  /** Frames the vehicle layer drew, and its CPU time in them (uploads + one draw call), ms. */
  draws: number;
  drawMs: number;
}

export class MapController {
  map: MapLibreMap | null = null;
  private baseReady = false;
  /** The drawn vehicles as typed arrays: what the GL layer uploads and the hit-test searches. */
  readonly instances = new VehicleInstances();
  private atlas: LabelAtlas | null = null;
  private layer: VehicleGlLayer | null = null;
  private overlay: VehicleCanvasLayer | null = null;
  /** The camera moved since the 2D overlay was drawn. */
  private cameraMoved = true;
  private readonly frameStats = { frames: 0, workMs: 0, lastWorkMs: 0 };
  private raf = 0;
  private dirty = true;
  private drawnVersion = -1;
  private atlasGeneration = 0;
  private lastTrailHead = 0;
  private lastHover = 0;
  private geofences: FeatureCollection = { type: 'FeatureCollection', features: [] };
  private trail: [number, number][] = [];
  private trailFor: string | null = null;
  private cleanups: (() => void)[] = [];
  private lastViewportSent = 0;
  private viewportTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly dark = window.matchMedia?.('(prefers-color-scheme: dark)');
  private onlineStyle: StyleSpecification | null = null;

  constructor(private readonly o: MapControllerOptions) {}

  private started = false;
  private styleLoaded = false;

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { config, initial, ui } = this.o;
    this.onlineStyle = await loadOnlineStyle(config.styleUrl, fetch.bind(window));
    const style = this.onlineStyle ?? this.offline();
    ui.setState({ baseStyle: this.onlineStyle ? 'online' : 'offline' });
    const map = new maplibregl.Map({
      container: this.o.container,
      style,
      center: (initial.center ?? config.center) as [number, number],
      zoom: initial.zoom ?? config.zoom,
      attributionControl: { compact: false },
      hash: false,
      maxPitch: 0,
      dragRotate: false,
      localIdeographFontFamily: 'sans-serif',
    });
    this.map = map;
    map.touchZoomRotate.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({}), 'bottom-left');
    installCanvasImages(map, () => this.isDark());
    if (this.o.renderer === 'gl') {
      this.atlas = new LabelAtlas(window.devicePixelRatio || 1);
      this.layer = new VehicleGlLayer(this.instances, this.atlas);
    } else {
      const overlay = new VehicleCanvasLayer(map, this.instances);
      this.overlay = overlay;
      this.cleanups.push(() => overlay.remove());
      // Camera changes are drawn at the end of MapLibre's own frame, so map and vehicles move together.
      const moved = () => {
        this.cameraMoved = true;
      };
      map.on('move', moved);
      map.on('resize', moved);
      map.on('render', () => {
        if (!this.cameraMoved) return;
        this.cameraMoved = false;
        overlay.draw();
      });
    }

    map.on('idle', () => {
      this.baseReady = true;
    });
    map.on('style.load', () => {
      this.baseReady = false;
      this.styleLoaded = true;
      installOverlays(map, this.layer, this.vehicleAttribution());
      this.source(GEOFENCE_SOURCE)?.setData(this.geofences);
      this.drawTrail();
      this.drawUser();
      this.dirty = true;
    });
    map.on('error', (e: { sourceId?: string }) => {
      // The online style's own tiles failing (no network) means: use the offline style instead.
      if (ui.getState().baseStyle === 'online' && e.sourceId && !this.isOwnSource(e.sourceId)) {
        this.switchToOffline();
      }
    });
    map.on('moveend', () => this.scheduleViewport());
    map.on('dragstart', () => ui.getState().setFollowing(false));
    map.on('click', (e) => {
      const id = this.vehicleIdAt(e.point.x, e.point.y);
      if (id) ui.getState().select(id);
    });
    map.on('mousemove', (e) => {
      const now = performance.now();
      if (now - this.lastHover < HOVER_MS) return;
      this.lastHover = now;
      map.getCanvas().style.cursor = this.vehicleIdAt(e.point.x, e.point.y) ? 'pointer' : '';
    });
    const onScheme = () => {
      if (ui.getState().baseStyle === 'offline') map.setStyle(this.offline(), { diff: false });
    };
    this.dark?.addEventListener('change', onScheme);
    this.cleanups.push(() => this.dark?.removeEventListener('change', onScheme));

    let prev = ui.getState();
    this.cleanups.push(
      ui.subscribe((s) => {
        if (this.affectsDrawing(prev, s)) this.dirty = true;
        if (s.selectedId !== prev.selectedId) void this.loadTrail(s.selectedId);
        if (s.userPosition !== prev.userPosition) this.drawUser();
        if (s.selectedId !== prev.selectedId || s.modes !== prev.modes || s.routes !== prev.routes) {
          this.writeUrl();
        }
        prev = s;
      }),
    );
    this.cleanups.push(this.o.live.store.onUpdate((state) => this.extendTrail(state)));
    const tick = setInterval(() => this.secondTick(), 1_000);
    this.cleanups.push(() => clearInterval(tick));

    // Ask for vehicles at once: waiting for 'load' would wait for every base tile first.
    this.scheduleViewport();
    void this.loadGeofences();
    if (ui.getState().selectedId) void this.loadTrail(ui.getState().selectedId);
    this.raf = requestAnimationFrame(this.frame);
  }

  /**
   * The base style and its own sources (land, network, or the online tiles) have loaded. MapLibre's
   * `idle` rarely fires while the GL vehicle layer repaints the map for moving vehicles, so tests poll this.
   */
  isBaseReady(): boolean {
    const map = this.map;
    if (!map || !this.styleLoaded) return false;
    if (this.baseReady) return true;
    const sources = Object.keys(map.getStyle()?.sources ?? {}).filter((id) => !this.isOverlaySource(id));
    this.baseReady = sources.every((id) => map.isSourceLoaded(id));
    return this.baseReady;
  }

  destroy(): void {
    cancelAnimationFrame(this.raf);
    for (const c of this.cleanups) c();
    if (this.viewportTimer) clearTimeout(this.viewportTimer);
    this.map?.remove();
    this.map = null;
  }

  /** Centre on the user and list the closest vehicles (the "near me" button). */
  locateUser(): void {
    const ui = this.o.ui;
    if (!navigator.geolocation) {
      ui.getState().pushToast('Location is not available in this browser', 'info', Date.now());
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const at: [number, number] = [pos.coords.longitude, pos.coords.latitude];
        ui.setState({ userPosition: at, nearby: this.nearest(at) });
        this.map?.flyTo({ center: at, zoom: Math.max(this.map.getZoom(), 14) });
      },
      (err) => ui.getState().pushToast(`Location unavailable: ${err.message}`, 'info', Date.now()),
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  }

  get renderer(): VehicleRendererKind {
    return this.o.renderer;
  }

  /** The vehicles drawn in the last frame, where they were drawn (debug hook, end-to-end tests). */
  renderedVehicles(): RenderedVehicle[] {
    return this.instances.rendered();
  }

  get stats(): FrameStats {
    const layer = this.layer?.stats ?? this.overlay?.stats;
    return { ...this.frameStats, draws: layer?.draws ?? 0, drawMs: layer?.drawMs ?? 0 };
  }

  /** The vehicle drawn under a map pixel (CSS px from the canvas' top-left), if any. */
  vehicleIdAt(x: number, y: number): string | undefined {
    const map = this.map;
    if (!map) return undefined;
    const radius = vehicleSizes(map.getZoom()).hitRadius;
    const i = vehicleAt(this.instances, (lon, lat) => map.project([lon, lat]), x, y, radius);
    return i < 0 ? undefined : this.instances.idAt(i);
  }

  flyToVehicle(id: string): void {
    const p = this.o.live.store.drawnPosition(id, performance.now());
    if (p && this.map) this.map.flyTo({ center: [p.lon, p.lat], zoom: Math.max(this.map.getZoom(), 14) });
  }

  private frame = (): void => {
    this.raf = requestAnimationFrame(this.frame);
    const map = this.map;
    if (!map || !this.styleLoaded) return;
    // The 2D overlay draws labels from its own sprites: no texture atlas to fill.
    const atlas: LabelLookup = this.atlas ?? NO_LABELS;
    const now = performance.now();
    const store = this.o.live.store;
    const s = this.o.ui.getState();
    const animating = now < store.lastChangeAt + MAX_SLIDE_MS + 50;
    const follow = s.following && s.selectedId !== null;
    if (!this.dirty && store.version === this.drawnVersion && !animating && !follow) return;
    const t0 = performance.now();
    if (this.dirty || store.version !== this.drawnVersion) {
      this.dirty = false;
      this.drawnVersion = store.version;
      const options = {
        modes: s.modes,
        routes: s.routes,
        favourites: s.favourites,
        live: s.connection === 'connected',
        selectedId: s.selectedId,
      };
      this.instances.rebuild(store, options, atlas);
      // The label canvas filled up and was cleared during the rebuild: place the labels again.
      if (this.atlas && this.atlas.generation !== this.atlasGeneration) {
        this.atlasGeneration = this.atlas.generation;
        this.instances.rebuild(store, options, atlas);
      }
    }
    // Offsets from the view's centre: float32 on the GPU stays exact to well under a pixel.
    const c = map.getCenter();
    this.instances.updatePositions(now, mercatorX(c.lng), mercatorY(c.lat));
    const worldPx = 512 * 2 ** map.getZoom();
    // The 2D overlay stamps sprites on whole device pixels: a smaller move would draw the same picture.
    const threshold = this.overlay ? Math.max(REPAINT_PX, 1 / (window.devicePixelRatio || 1)) : REPAINT_PX;
    if (this.instances.changed || this.instances.maxShiftSincePaint() * worldPx >= threshold) {
      if (this.overlay) this.overlay.draw();
      else map.triggerRepaint();
    }
    if (s.selectedId) {
      const p = store.drawnPosition(s.selectedId, now);
      if (p) {
        if (now - this.lastTrailHead >= TRAIL_HEAD_MS) {
          this.lastTrailHead = now;
          this.drawTrail([p.lon, p.lat]);
        }
        if (follow) {
          const c = map.getCenter();
          const metersPerPx = (EARTH_CIRCUMFERENCE_M * Math.cos((c.lat * Math.PI) / 180)) / worldPx;
          if (approxDistanceMeters({ lon: c.lng, lat: c.lat }, p) >= REPAINT_PX * metersPerPx)
            map.jumpTo({ center: [p.lon, p.lat] });
        }
      }
    }
    if (s.shownVehicles !== this.instances.count) this.o.ui.setState({ shownVehicles: this.instances.count });
    const work = performance.now() - t0;
    this.frameStats.frames++;
    this.frameStats.workMs += work;
    this.frameStats.lastWorkMs = work;
  };

  private secondTick(): void {
    const pos = this.o.ui.getState().userPosition;
    if (pos) this.o.ui.setState({ nearby: this.nearest(pos) });
  }

  private nearest(at: readonly [number, number]): NearVehicle[] {
    const here = { lon: at[0], lat: at[1] };
    const list: NearVehicle[] = [];
    for (const v of this.o.live.store.vehicles.values()) {
      const s = v.state;
      list.push({
        vehicleId: s.vehicleId,
        line: s.line,
        mode: s.mode,
        meters: approxDistanceMeters(here, s),
      });
    }
    return list.sort((a, b) => a.meters - b.meters).slice(0, 6);
  }

  private scheduleViewport(): void {
    if (this.viewportTimer) return;
    const wait = Math.max(0, this.lastViewportSent + VIEWPORT_THROTTLE_MS - performance.now());
    this.viewportTimer = setTimeout(() => {
      this.viewportTimer = null;
      this.lastViewportSent = performance.now();
      this.sendViewport();
    }, wait);
  }

  private sendViewport(): void {
    const map = this.map;
    if (!map) return;
    const b = map.getBounds();
    const padX = (b.getEast() - b.getWest()) * VIEWPORT_PAD;
    const padY = (b.getNorth() - b.getSouth()) * VIEWPORT_PAD;
    const bbox: BBox = [
      Math.max(-180, b.getWest() - padX),
      Math.max(-85, b.getSouth() - padY),
      Math.min(180, b.getEast() + padX),
      Math.min(85, b.getNorth() + padY),
    ];
    this.o.live.setViewport(bbox, map.getZoom());
    this.writeUrl();
  }

  private writeUrl(): void {
    const map = this.map;
    if (!map) return;
    const s = this.o.ui.getState();
    const c = map.getCenter();
    const query = formatUrlState({
      center: [c.lng, c.lat],
      zoom: map.getZoom(),
      selected: s.selectedId,
      modes: s.modes,
      routes: s.routes,
    });
    history.replaceState(null, '', `${location.pathname}${query}`);
  }

  private async loadGeofences(): Promise<void> {
    try {
      const list = await this.o.fetchJson<Geofence[]>('/api/geofences');
      this.geofences = geofencesToGeoJson(Array.isArray(list) ? list : []);
      this.source(GEOFENCE_SOURCE)?.setData(this.geofences);
    } catch {
      // No geofences drawn; the organization panel reports the failure when opened.
    }
  }

  private async loadTrail(id: string | null): Promise<void> {
    this.trailFor = id;
    this.trail = [];
    this.drawTrail();
    if (!id) return;
    try {
      const trail = await this.o.fetchJson<Trail>(`/api/vehicles/${encodeURIComponent(id)}/trail`);
      if (this.trailFor !== id) return;
      const live = this.trail;
      this.trail = trail.points.map((p) => [p.lon, p.lat] as [number, number]);
      // Points that arrived over the socket while the request was in flight.
      for (const p of live) this.trail.push(p);
      this.drawTrail();
    } catch {
      // Keep the live-grown part.
    }
  }

  private extendTrail(state: { vehicleId: string; lon: number; lat: number }): void {
    if (state.vehicleId !== this.trailFor) return;
    const last = this.trail[this.trail.length - 1];
    if (last && last[0] === state.lon && last[1] === state.lat) return;
    this.trail.push([state.lon, state.lat]);
    if (this.trail.length > 2_000) this.trail.splice(0, this.trail.length - 2_000);
  }

  private drawTrail(head?: [number, number]): void {
    const coords = head ? [...this.trail, head] : this.trail;
    this.source(TRAIL_SOURCE)?.setData({
      type: 'FeatureCollection',
      features:
        coords.length >= 2
          ? [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: coords } }]
          : [],
    });
  }

  private drawUser(): void {
    const at = this.o.ui.getState().userPosition;
    this.source(USER_SOURCE)?.setData({
      type: 'FeatureCollection',
      features: at
        ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [...at] } }]
        : [],
    });
  }

  private switchToOffline(): void {
    this.o.ui.setState({ baseStyle: 'offline' });
    this.map?.setStyle(this.offline(), { diff: false });
  }

  private offline(): StyleSpecification {
    return offlineStyle({ origin: this.o.origin, dark: this.isDark() });
  }

  private isDark(): boolean {
    return this.dark?.matches === true;
  }

  private isOverlaySource(id: string): boolean {
    return [TRAIL_SOURCE, GEOFENCE_SOURCE, USER_SOURCE].includes(id);
  }

  private isOwnSource(id: string): boolean {
    return [TRAIL_SOURCE, GEOFENCE_SOURCE, USER_SOURCE, 'land', 'network'].includes(id);
  }

  private vehicleAttribution(): string {
    return this.o.config.feedMode === 'live'
      ? 'Vehicles: HSL open data, CC BY 4.0'
      : 'Vehicles: simulated (realtimemap)';
  }

  private source(id: string): GeoJSONSource | undefined {
    return this.map?.getSource(id) as GeoJSONSource | undefined;
  }

  private affectsDrawing(a: UiState, b: UiState): boolean {
    return (
      a.modes !== b.modes ||
      a.routes !== b.routes ||
      a.favourites !== b.favourites ||
      a.selectedId !== b.selectedId ||
      a.connection !== b.connection
    );
  }
}
