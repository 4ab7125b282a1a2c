/** Display formatting for the panels. Pure. */

/** Delay in seconds (positive = late) as `3:07 late` / `0:45 early` / `on time`. */
export function formatDelay(delaySeconds: number | null): string {
  if (delaySeconds === null) return '—';
  const s = Math.round(delaySeconds);
  if (s === 0) return 'on time';
  const abs = Math.abs(s);
  const mmss = `${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`;
  return `${mmss} ${s > 0 ? 'late' : 'early'}`;
}

/** m/s to a rounded km/h string. */
export function formatSpeed(speedMs: number | null): string {
  if (speedMs === null) return '—';
  return `${Math.round(speedMs * 3.6)} km/h`;
}

export function formatDoors(open: boolean | null): string {
  if (open === null) return 'unknown';
  return open ? 'open' : 'closed';
}

export function formatAgo(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  return `${Math.floor(m / 60)} h ago`;
}

export function formatOccupancy(occupancy: number | null): string {
  if (occupancy === null) return '—';
  if (occupancy >= 100) return 'full';
  return `${occupancy} %`;
}
