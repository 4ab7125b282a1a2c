/** Favourite routes, saved in the browser under a versioned key. Bad stored data reads as none. */
export const FAVOURITES_KEY = 'realtimemap.favourites.v1';

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadFavourites(storage: KeyValueStorage | undefined): string[] {
  if (!storage) return [];
  try {
    const parsed: unknown = JSON.parse(storage.getItem(FAVOURITES_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    // Corrupt value from an older build or a hand edit: start empty rather than fail to load.
    return [];
  }
}

export function saveFavourites(storage: KeyValueStorage | undefined, routes: readonly string[]): void {
  try {
    storage?.setItem(FAVOURITES_KEY, JSON.stringify(routes));
  } catch {
    // Private mode / quota: favourites then last for this page only; nothing else depends on it.
  }
}
