/** Mode toggles, route search and the active routes list with counts; favourites first. */
import { useMemo, useState } from 'react';
import { useUi } from '../app-context.ts';
import { LEGEND_MODES, MODE_COLORS } from '../map/mode-colors.ts';
import { sortRoutes } from './sort-routes.ts';

export function FilterPanel() {
  const modes = useUi((s) => s.modes);
  const routes = useUi((s) => s.routes);
  const favourites = useUi((s) => s.favourites);
  const activeRoutes = useUi((s) => s.activeRoutes);
  const toggleMode = useUi((s) => s.toggleMode);
  const toggleRoute = useUi((s) => s.toggleRoute);
  const toggleFavourite = useUi((s) => s.toggleFavourite);
  const clearFilters = useUi((s) => s.clearFilters);
  const [query, setQuery] = useState('');
  const list = useMemo(() => sortRoutes(activeRoutes, favourites, query), [activeRoutes, favourites, query]);
  const filtered = modes.length > 0 || routes.length > 0;
  return (
    <details className="panel filters" data-testid="filter-panel" open>
      <summary>Filters{filtered && <span className="pill">{modes.length + routes.length}</span>}</summary>
      <fieldset className="modes">
        <legend className="sr-only">Modes</legend>
        {LEGEND_MODES.map((m) => (
          <button
            type="button"
            key={m}
            className="mode-toggle"
            data-testid={`mode-filter-${m}`}
            aria-pressed={modes.includes(m)}
            style={{ borderColor: MODE_COLORS[m] }}
            onClick={() => toggleMode(m)}
          >
            <span className="swatch" style={{ background: MODE_COLORS[m] }} aria-hidden="true" />
            {m}
          </button>
        ))}
      </fieldset>
      <div className="row">
        <input
          type="search"
          placeholder="Search route…"
          aria-label="Search route"
          data-testid="route-search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            const first = list[0];
            if (e.key === 'Enter' && first) toggleRoute(first.routeId);
          }}
        />
        <button type="button" data-testid="clear-filters" disabled={!filtered} onClick={clearFilters}>
          Clear
        </button>
      </div>
      <ul className="routes" data-testid="route-list">
        {list.slice(0, 60).map((r) => {
          const fav = favourites.includes(r.routeId);
          return (
            <li key={r.routeId} className={fav ? 'fav' : ''}>
              <button
                type="button"
                className="route"
                data-testid="route-item"
                data-route={r.routeId}
                aria-pressed={routes.includes(r.routeId)}
                onClick={() => toggleRoute(r.routeId)}
              >
                <span className="line-chip small" style={{ background: MODE_COLORS[r.mode] }}>
                  {r.line ?? r.routeId}
                </span>
                <span className="count">{r.vehicles}</span>
              </button>
              <button
                type="button"
                className="icon-button star"
                aria-label={fav ? `Unfavourite ${r.line ?? r.routeId}` : `Favourite ${r.line ?? r.routeId}`}
                aria-pressed={fav}
                onClick={() => toggleFavourite(r.routeId)}
              >
                {fav ? '★' : '☆'}
              </button>
            </li>
          );
        })}
        {list.length === 0 && <li className="muted">No active routes</li>}
      </ul>
    </details>
  );
}
