/**
 * Boot: read the URL and the server config, create the stores and controllers, render the React
 * shell. The only module that starts anything.
 */
import type { ClientConfig } from '@realtimemap/shared';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'maplibre-gl/dist/maplibre-gl.css';
import './app.css';
import { App } from './app.tsx';
import { installDebugHook } from './debug-hook.ts';
import { WebError } from './live/errors.ts';
import { LiveClient } from './live/live-client.ts';
import { MapController } from './map/map-controller.ts';
import { chooseVehicleRenderer, parseRendererParam } from './map/vehicle-renderer.ts';
import { loadFavourites, saveFavourites } from './state/favourites.ts';
import { createUiStore } from './state/ui-store.ts';
import { parseUrlState } from './state/url-state.ts';

async function fetchJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new WebError('WEB_FETCH_FAILED', `${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

const FALLBACK_CONFIG: ClientConfig = {
  styleUrl: null,
  feedMode: 'simulated',
  protocolVersion: 1,
  center: [24.9384, 60.1699],
  zoom: 13,
};

async function boot(): Promise<void> {
  const initial = parseUrlState(location.search);
  const config = await fetchJson<ClientConfig>('/api/config').catch(() => FALLBACK_CONFIG);
  const ui = createUiStore({
    modes: initial.modes,
    routes: initial.routes,
    selectedId: initial.selected,
    following: false,
    feedMode: config.feedMode,
    favourites: loadFavourites(window.localStorage),
  });
  ui.subscribe((s, prev) => {
    if (s.favourites !== prev.favourites) saveFavourites(window.localStorage, s.favourites);
  });
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const live = new LiveClient({ wsUrl, ui, fetchJson });
  const container = document.createElement('div');
  container.className = 'map';
  container.dataset.testid = 'map';
  const map = new MapController({
    container,
    ui,
    live,
    config,
    initial,
    fetchJson,
    origin: location.origin,
    renderer: chooseVehicleRenderer(parseRendererParam(location.search)),
  });
  installDebugHook(map, live, () => ui.getState());
  const root = document.getElementById('root');
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <App services={{ ui, live, map, fetchJson }} mapContainer={container} />
    </StrictMode>,
  );
  live.start();
}

void boot();
