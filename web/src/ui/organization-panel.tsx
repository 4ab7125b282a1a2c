/** Per organization: each geofence with the organization's vehicles inside it, refreshed live. */
import { useEffect, useState } from 'react';
import { useServices, useUi } from '../app-context.ts';
import { parseOrganizationDetail, type ZoneVehicles } from './organization-detail.ts';
import { useOrganizations } from './use-organizations.ts';

const REFRESH_MS = 3_000;

export function OrganizationPanel() {
  const { fetchJson } = useServices();
  const orgs = useOrganizations();
  const orgId = useUi((s) => s.orgPanelId);
  const select = useUi((s) => s.select);
  const { ui } = useServices();
  const [zones, setZones] = useState<ZoneVehicles[] | null>(null);
  useEffect(() => {
    if (!orgId) {
      setZones(null);
      return;
    }
    let cancelled = false;
    const load = () =>
      fetchJson<unknown>(`/api/organizations/${encodeURIComponent(orgId)}`)
        .then((body) => {
          if (!cancelled) setZones(parseOrganizationDetail(body));
        })
        .catch(() => {
          if (!cancelled) setZones([]);
        });
    void load();
    const t = setInterval(load, REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(t);
    };
  }, [orgId, fetchJson]);
  return (
    <details className="panel orgs" data-testid="organization-panel">
      <summary>Zones by operator</summary>
      <select
        aria-label="Operator"
        data-testid="organization-select"
        value={orgId ?? ''}
        onChange={(e) => ui.setState({ orgPanelId: e.target.value || null })}
      >
        <option value="">Choose an operator…</option>
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      {zones && (
        <ul className="zones" data-testid="zone-list">
          {zones.map((z) => (
            <li key={z.id} data-testid="zone" data-zone={z.id}>
              <strong>{z.name}</strong> <span className="count">{z.vehicles.length}</span>
              <ul>
                {z.vehicles.map((v) => (
                  <li key={v.vehicleId}>
                    <button
                      type="button"
                      className="link"
                      data-testid="zone-vehicle"
                      data-vehicle={v.vehicleId}
                      onClick={() => select(v.vehicleId)}
                    >
                      {v.line ? `${v.line} · ` : ''}
                      {v.vehicleId}
                    </button>
                  </li>
                ))}
              </ul>
            </li>
          ))}
          {zones.length === 0 && <li className="muted">No zones</li>}
        </ul>
      )}
    </details>
  );
}
