/** The selected vehicle: live details, follow toggle, favourite toggle. */
import type { VehicleState } from '@realtimemap/shared';
import { useEffect, useState } from 'react';
import { useServices, useUi } from '../app-context.ts';
import { formatAgo, formatDelay, formatDoors, formatOccupancy, formatSpeed } from '../format/format.ts';
import { MODE_COLORS } from '../map/mode-colors.ts';
import { useOrganizations } from './use-organizations.ts';

function useVehicle(id: string | null): { state: VehicleState | null; receivedAt: number | null } {
  const { live, fetchJson } = useServices();
  const [value, setValue] = useState<{ state: VehicleState | null; receivedAt: number | null }>({
    state: null,
    receivedAt: null,
  });
  useEffect(() => {
    if (!id) {
      setValue({ state: null, receivedAt: null });
      return;
    }
    const known = live.store.get(id);
    setValue({ state: known?.state ?? null, receivedAt: known ? Date.now() : null });
    let cancelled = false;
    if (!known) {
      fetchJson<VehicleState>(`/api/vehicles/${encodeURIComponent(id)}`)
        .then((state) => {
          if (!cancelled) setValue((v) => (v.state ? v : { state, receivedAt: state.lastSeen }));
        })
        .catch(() => {});
    }
    const off = live.store.onUpdate((state) => {
      if (state.vehicleId === id) setValue({ state, receivedAt: Date.now() });
    });
    return () => {
      cancelled = true;
      off();
    };
  }, [id, live, fetchJson]);
  return value;
}

export function DetailsPanel() {
  const selectedId = useUi((s) => s.selectedId);
  const following = useUi((s) => s.following);
  const favourites = useUi((s) => s.favourites);
  const select = useUi((s) => s.select);
  const setFollowing = useUi((s) => s.setFollowing);
  const toggleFavourite = useUi((s) => s.toggleFavourite);
  const { map } = useServices();
  const orgs = useOrganizations();
  const { state, receivedAt } = useVehicle(selectedId);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') select(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [select]);
  if (!selectedId) return null;
  const operator = state
    ? (orgs.find((o) => o.id === state.operatorId)?.name ?? `Operator ${state.operatorId}`)
    : '';
  const fav = state?.routeId ? favourites.includes(state.routeId) : false;
  return (
    <aside className="panel details" data-testid="details-panel" aria-label="Vehicle details">
      <header>
        <span
          className="line-chip"
          data-testid="details-line"
          style={{ background: state ? MODE_COLORS[state.mode] : '#666' }}
        >
          {state?.line ?? '—'}
        </span>
        <span className="headsign" data-testid="details-headsign">
          {state?.headsign ?? (state ? 'Not in service' : 'Waiting for data…')}
        </span>
        <button type="button" className="icon-button" aria-label="Close details" onClick={() => select(null)}>
          ×
        </button>
      </header>
      {state && (
        <dl>
          <dt>Operator</dt>
          <dd data-testid="details-operator">{operator}</dd>
          <dt>Vehicle</dt>
          <dd data-testid="details-vehicle">{state.vehicleNumber}</dd>
          <dt>Speed</dt>
          <dd data-testid="details-speed" data-value={state.speed ?? ''}>
            {formatSpeed(state.speed)}
          </dd>
          <dt>Delay</dt>
          <dd data-testid="details-delay">{formatDelay(state.delay)}</dd>
          <dt>Doors</dt>
          <dd data-testid="details-doors" data-value={String(state.doorsOpen)}>
            {formatDoors(state.doorsOpen)}
          </dd>
          <dt>Occupancy</dt>
          <dd data-testid="details-occupancy">{formatOccupancy(state.occupancy)}</dd>
          <dt>Source</dt>
          <dd data-testid="details-source">{state.source ?? '—'}</dd>
          <dt>Updated</dt>
          <dd data-testid="details-updated">{receivedAt ? formatAgo(now - receivedAt) : '—'}</dd>
        </dl>
      )}
      <div className="row">
        <button
          type="button"
          data-testid="follow-toggle"
          aria-pressed={following}
          onClick={() => {
            setFollowing(!following);
            if (!following) map.flyToVehicle(selectedId);
          }}
        >
          {following ? 'Following' : 'Follow'}
        </button>
        {state?.routeId && (
          <button
            type="button"
            data-testid="favourite-toggle"
            aria-pressed={fav}
            onClick={() => state.routeId && toggleFavourite(state.routeId)}
          >
            {fav ? '★ Favourite' : '☆ Favourite'}
          </button>
        )}
      </div>
    </aside>
  );
}
