/** Connection, counts, updates/s, feed badge and age of the last update. Re-renders once a second. */
import { useEffect, useState } from 'react';
import { useUi } from '../app-context.ts';

function useSecondTick(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function StatusBar() {
  const connection = useUi((s) => s.connection);
  const feedMode = useUi((s) => s.feedMode);
  const shown = useUi((s) => s.shownVehicles);
  const total = useUi((s) => s.totalVehicles);
  const rate = useUi((s) => s.updatesPerSecond);
  const last = useUi((s) => s.lastUpdateAt);
  const baseStyle = useUi((s) => s.baseStyle);
  const now = useSecondTick();
  const age = last === null ? null : Math.max(0, Math.round((now - last) / 1000));
  return (
    <footer className="status-bar" data-testid="status-bar" aria-live="polite">
      <span className={`conn conn-${connection}`} data-testid="connection-state" data-state={connection}>
        <span className="conn-dot" aria-hidden="true" />
        {connection === 'connected'
          ? 'Connected'
          : connection === 'connecting'
            ? 'Connecting…'
            : 'Reconnecting…'}
      </span>
      <span data-testid="vehicle-counts">
        <strong data-testid="vehicles-shown">{shown}</strong> shown /{' '}
        <span data-testid="vehicles-total">{total}</span> total
      </span>
      <span data-testid="updates-per-second">{rate.toFixed(1)} upd/s</span>
      <span data-testid="last-update-age">{age === null ? 'no data yet' : `last ${age} s ago`}</span>
      {feedMode && (
        <span className={`badge badge-${feedMode}`} data-testid="feed-badge">
          {feedMode.toUpperCase()}
        </span>
      )}
      <span className="base-style" data-testid="base-style" data-style={baseStyle}>
        {baseStyle === 'offline' ? 'offline map' : baseStyle === 'online' ? 'online map' : ''}
      </span>
    </footer>
  );
}
