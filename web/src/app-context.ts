/** What React components reach: the UI store and the two React-free controllers. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { LiveClient } from './live/live-client.ts';
import type { MapController } from './map/map-controller.ts';
import type { UiActions, UiState, UiStore } from './state/ui-store.ts';

export interface AppServices {
  readonly ui: UiStore;
  readonly live: LiveClient;
  readonly map: MapController;
  readonly fetchJson: <T>(path: string) => Promise<T>;
}

export const AppContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('AppContext missing');
  return services;
}

/** Narrow subscription to the UI store. */
export function useUi<T>(selector: (s: UiState & UiActions) => T): T {
  return useStore(useServices().ui, selector);
}
