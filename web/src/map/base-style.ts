/**
 * Which base style to start with: the configured online style when its JSON loads within a few
 * seconds, else null (the caller then uses the offline style). The map controller also falls back
 * later, when the online style's tiles fail.
 */
import type { StyleSpecification } from 'maplibre-gl';

export async function loadOnlineStyle(
  styleUrl: string | null,
  fetchImpl: typeof fetch,
  timeoutMs = 4_000,
): Promise<StyleSpecification | null> {
  if (!styleUrl) return null;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetchImpl(styleUrl, { signal: abort.signal });
    if (!res.ok) return null;
    const style: unknown = await res.json();
    if (!style || typeof style !== 'object' || (style as { version?: unknown }).version !== 8) return null;
    return style as StyleSpecification;
  } catch {
    // Offline, blocked or slow: the offline style is the designed answer, not an error to surface.
    return null;
  } finally {
    clearTimeout(timer);
  }
}
