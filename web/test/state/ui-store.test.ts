import { describe, expect, it } from 'vitest';
import { createUiStore, passesFilter } from '../../src/state/ui-store.ts';

describe('ui store', () => {
  it('ui store: selecting follows, deselecting stops following', () => {
    const ui = createUiStore();
    ui.getState().select('0022/01216');
    expect(ui.getState()).toMatchObject({ selectedId: '0022/01216', following: true });
    ui.getState().setFollowing(false);
    expect(ui.getState().following).toBe(false);
    ui.getState().select(null);
    ui.getState().setFollowing(true);
    expect(ui.getState().following).toBe(false);
  });

  it('ui store: mode and route toggles add and remove, clear empties both', () => {
    const ui = createUiStore();
    ui.getState().toggleMode('tram');
    ui.getState().toggleRoute('1064');
    ui.getState().toggleRoute('2550');
    ui.getState().toggleRoute('1064');
    expect(ui.getState().modes).toEqual(['tram']);
    expect(ui.getState().routes).toEqual(['2550']);
    ui.getState().clearFilters();
    expect(ui.getState().modes).toEqual([]);
    expect(ui.getState().routes).toEqual([]);
  });

  it('ui store: only the newest toasts are kept', () => {
    const ui = createUiStore();
    for (let i = 0; i < 6; i++) ui.getState().pushToast(`t${i}`, 'info', i);
    expect(ui.getState().toasts.map((t) => t.text)).toEqual(['t2', 't3', 't4', 't5']);
    const first = ui.getState().toasts[0];
    if (first) ui.getState().dismissToast(first.id);
    expect(ui.getState().toasts).toHaveLength(3);
  });

  it('ui store: the filter passes everything when empty and narrows by mode and route', () => {
    expect(passesFilter('bus', '1064', [], [])).toBe(true);
    expect(passesFilter('bus', '1064', ['tram'], [])).toBe(false);
    expect(passesFilter('bus', '1064', ['bus'], ['1064'])).toBe(true);
    expect(passesFilter('bus', '1064', [], ['2550'])).toBe(false);
    expect(passesFilter('bus', null, [], ['2550'])).toBe(false);
  });
});
