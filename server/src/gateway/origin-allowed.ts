/**
 * Origin check for WebSocket upgrades: no Origin (non-browser clients), the page's own origin
 * (Origin host = Host header), or one listed ('*' = any).
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (!origin) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
