/** The active routes list: matching the search, favourites first, then busiest. Pure. */
import type { RouteSummary } from '@realtimemap/shared';

export function sortRoutes(
  routes: readonly RouteSummary[],
  favourites: readonly string[],
  query: string,
): RouteSummary[] {
  const q = query.trim().toLowerCase();
  return routes
    .filter(
      (r) =>
        q === '' || (r.line ?? r.routeId).toLowerCase().includes(q) || r.routeId.toLowerCase().includes(q),
    )
    .slice()
    .sort((a, b) => {
      const fa = favourites.includes(a.routeId) ? 0 : 1;
      const fb = favourites.includes(b.routeId) ? 0 : 1;
      return fa - fb || b.vehicles - a.vehicles || a.routeId.localeCompare(b.routeId);
    });
}
