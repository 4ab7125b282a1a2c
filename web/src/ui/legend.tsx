/** Mode colours and symbol meanings. Collapsible so it does not cover a phone screen. */
import { LEGEND_MODES, MODE_COLORS } from '../map/mode-colors.ts';

export function Legend() {
  return (
    <details className="legend panel" data-testid="legend">
      <summary>Legend</summary>
      <ul>
        {LEGEND_MODES.map((m) => (
          <li key={m}>
            <span className="swatch" style={{ background: MODE_COLORS[m] }} aria-hidden="true" />
            {m}
          </li>
        ))}
        <li>
          <span className="swatch doors" aria-hidden="true" /> doors open
        </li>
        <li>
          <span className="swatch fav" aria-hidden="true" /> favourite route
        </li>
        <li>
          <span className="swatch stale" aria-hidden="true" /> stale / disconnected
        </li>
      </ul>
    </details>
  );
}
