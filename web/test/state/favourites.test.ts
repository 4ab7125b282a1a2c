import { describe, expect, it } from 'vitest';
import { FAVOURITES_KEY, loadFavourites, saveFavourites } from '../../src/state/favourites.ts';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
  };
}

describe('favourites', () => {
  it('favourites: saved routes load back', () => {
    const storage = memoryStorage();
    saveFavourites(storage, ['1064', '2550']);
    expect(loadFavourites(storage)).toEqual(['1064', '2550']);
  });

  it('favourites: corrupt or foreign stored values read as none, not an error', () => {
    expect(loadFavourites(memoryStorage({ [FAVOURITES_KEY]: '{oops' }))).toEqual([]);
    expect(loadFavourites(memoryStorage({ [FAVOURITES_KEY]: '{"a":1}' }))).toEqual([]);
    expect(loadFavourites(memoryStorage({ [FAVOURITES_KEY]: '["64",7,null]' }))).toEqual(['64']);
    expect(loadFavourites(undefined)).toEqual([]);
  });
});
