import { describe, expect, it } from 'vitest';
import { EMPTY_URL_STATE, formatUrlState, parseUrlState } from '../../src/state/url-state.ts';

describe('url state', () => {
  it('url state: a formatted view parses back to the same view', () => {
    const view = {
      center: [24.9411, 60.1713] as const,
      zoom: 13.25,
      selected: '0022/01216',
      modes: ['bus', 'tram'] as const,
      routes: ['1064', '2550'],
    };
    const query = formatUrlState(view);
    expect(query).toBe('?c=24.94110,60.17130&z=13.25&v=0022/01216&m=bus,tram&r=1064,2550');
    expect(parseUrlState(query)).toEqual({ ...view, center: [24.9411, 60.1713], modes: ['bus', 'tram'] });
  });

  it('url state: an empty view is an empty query', () => {
    expect(formatUrlState(EMPTY_URL_STATE)).toBe('');
    expect(parseUrlState('')).toEqual(EMPTY_URL_STATE);
  });

  it('url state: malformed parts are ignored, the rest is kept', () => {
    const s = parseUrlState('?c=abc,60&z=99&m=bus,spaceship,bus&r=,64,,64&v=');
    expect(s.center).toBeNull();
    expect(s.zoom).toBeNull();
    expect(s.modes).toEqual(['bus']);
    expect(s.routes).toEqual(['64']);
    expect(s.selected).toBeNull();
  });

  it('url state: out-of-range coordinates are rejected', () => {
    expect(parseUrlState('?c=200,60').center).toBeNull();
    expect(parseUrlState('?c=24.9,89').center).toBeNull();
  });

  it('url state: route ids with reserved characters survive the round trip', () => {
    const q = formatUrlState({ ...EMPTY_URL_STATE, routes: ['a&b', 'c,d'] });
    expect(parseUrlState(q).routes).toEqual(['a&b', 'c,d']);
  });
});
