/** The React shell: thin components around the map container. */
import { useEffect, useRef } from 'react';
import { AppContext, type AppServices } from './app-context.ts';
import { DetailsPanel } from './ui/details-panel.tsx';
import { FilterPanel } from './ui/filter-panel.tsx';
import { Legend } from './ui/legend.tsx';
import { NearMePanel } from './ui/near-me-panel.tsx';
import { OrganizationPanel } from './ui/organization-panel.tsx';
import { StatusBar } from './ui/status-bar.tsx';
import { Toasts } from './ui/toasts.tsx';

export function App({ services, mapContainer }: { services: AppServices; mapContainer: HTMLElement }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || mapContainer.parentElement === el) return;
    el.appendChild(mapContainer);
    // The map is created once, after its container has a size (StrictMode runs effects twice).
    void services.map.start();
  }, [services, mapContainer]);
  return (
    <AppContext.Provider value={services}>
      <div className="app">
        <div className="map-host" ref={host} />
        <div className="side">
          <FilterPanel />
          <NearMePanel />
          <OrganizationPanel />
        </div>
        <DetailsPanel />
        <Toasts />
        <Legend />
        <StatusBar />
      </div>
    </AppContext.Provider>
  );
}
