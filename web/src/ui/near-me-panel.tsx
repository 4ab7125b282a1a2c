/** "Near me": centre on the browser's position and list the closest vehicles. */
import { useServices, useUi } from '../app-context.ts';
import { MODE_COLORS } from '../map/mode-colors.ts';

export function NearMePanel() {
  const { map } = useServices();
  const nearby = useUi((s) => s.nearby);
  const located = useUi((s) => s.userPosition !== null);
  const select = useUi((s) => s.select);
  return (
    <details className="panel near-me" data-testid="near-me-panel">
      <summary>Near me</summary>
      <button type="button" data-testid="near-me" onClick={() => map.locateUser()}>
        Locate me
      </button>
      {located && (
        <ul data-testid="near-me-list">
          {nearby.map((v) => (
            <li key={v.vehicleId}>
              <button type="button" className="route" onClick={() => select(v.vehicleId)}>
                <span className="line-chip small" style={{ background: MODE_COLORS[v.mode] }}>
                  {v.line ?? '—'}
                </span>
                <span className="count">
                  {v.meters < 1000 ? `${Math.round(v.meters)} m` : `${(v.meters / 1000).toFixed(1)} km`}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
