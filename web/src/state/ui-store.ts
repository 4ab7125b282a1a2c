/**
 * UI state (zustand, vanilla so the React-free controllers can read and write it). Nothing here
 * changes per animation frame: per-frame vehicle data lives in VehicleStore. Components subscribe
 * with narrow selectors.
 */
import type { FeedMode, GeofenceEvent, RouteSummary, TransportMode } from '@realtimemap/shared';
import { createStore, type StoreApi } from 'zustand/vanilla';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

export interface Toast {
  readonly id: number;
  readonly text: string;
  readonly kind: 'enter' | 'exit' | 'info';
}

export interface NearVehicle {
  readonly vehicleId: string;
  readonly line: string | null;
  readonly mode: TransportMode;
  readonly meters: number;
}

export interface UiState {
  connection: ConnectionState;
  feedMode: FeedMode | null;
  /** Vehicles the server knows (status message) and those drawn after filters. */
  totalVehicles: number;
  shownVehicles: number;
  updatesPerSecond: number;
  lastUpdateAt: number | null;
  selectedId: string | null;
  following: boolean;
  modes: readonly TransportMode[];
  routes: readonly string[];
  favourites: readonly string[];
  activeRoutes: readonly RouteSummary[];
  toasts: readonly Toast[];
  baseStyle: 'online' | 'offline' | 'loading';
  userPosition: readonly [lon: number, lat: number] | null;
  nearby: readonly NearVehicle[];
  orgPanelId: string | null;
}

export interface UiActions {
  select(id: string | null): void;
  setFollowing(on: boolean): void;
  toggleMode(mode: TransportMode): void;
  setRoutes(routes: readonly string[]): void;
  toggleRoute(routeId: string): void;
  clearFilters(): void;
  toggleFavourite(routeId: string): void;
  pushToast(text: string, kind: Toast['kind'], now: number): void;
  dismissToast(id: number): void;
  geofenceToast(event: GeofenceEvent, now: number): void;
}

export type UiStore = StoreApi<UiState & UiActions>;

export function createUiStore(initial: Partial<UiState> = {}): UiStore {
  let nextToast = 1;
  return createStore<UiState & UiActions>()((set, get) => ({
    connection: 'connecting',
    feedMode: null,
    totalVehicles: 0,
    shownVehicles: 0,
    updatesPerSecond: 0,
    lastUpdateAt: null,
    selectedId: null,
    following: false,
    modes: [],
    routes: [],
    favourites: [],
    activeRoutes: [],
    toasts: [],
    baseStyle: 'loading',
    userPosition: null,
    nearby: [],
    orgPanelId: null,
    ...initial,
    select: (id) => set({ selectedId: id, following: id !== null }),
    setFollowing: (on) => set({ following: on && get().selectedId !== null }),
    toggleMode: (mode) => {
      const modes = get().modes;
      set({ modes: modes.includes(mode) ? modes.filter((m) => m !== mode) : [...modes, mode] });
    },
    setRoutes: (routes) => set({ routes: [...new Set(routes)] }),
    toggleRoute: (routeId) => {
      const routes = get().routes;
      set({ routes: routes.includes(routeId) ? routes.filter((r) => r !== routeId) : [...routes, routeId] });
    },
    clearFilters: () => set({ modes: [], routes: [] }),
    toggleFavourite: (routeId) => {
      const favs = get().favourites;
      set({ favourites: favs.includes(routeId) ? favs.filter((r) => r !== routeId) : [...favs, routeId] });
    },
    pushToast: (text, kind) => {
      const toast = { id: nextToast++, text, kind };
      // Keep the newest few: older ones scroll away even if not dismissed.
      set({ toasts: [...get().toasts, toast].slice(-4) });
    },
    dismissToast: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
    geofenceToast: (event, now) => {
      const verb = event.kind === 'enter' ? 'entered' : 'left';
      const who = event.line ? `Line ${event.line} (${event.vehicleId})` : event.vehicleId;
      get().pushToast(`${who} ${verb} ${event.geofenceName}`, event.kind, now);
    },
  }));
}

/** True when a vehicle passes the current mode and route filters (empty = all). */
export function passesFilter(
  mode: TransportMode,
  routeId: string | null,
  modes: readonly TransportMode[],
  routes: readonly string[],
): boolean {
  if (modes.length > 0 && !modes.includes(mode)) return false;
  if (routes.length > 0 && (routeId === null || !routes.includes(routeId))) return false;
  return true;
}
