import { describe, expect, it } from 'vitest';
import {
  decodeHfpGeohash,
  encodeGeohashTopic,
  geohashTopicTail,
  HfpGeohashRangeError,
  hfpGeohashLevel,
  parseHfpTopic,
} from '../../src/hfp/index.ts';

describe('hfp geohash', () => {
  it('hfp geohash: encodes as HSL does (truncated digits, lat/lon paired per level)', () => {
    expect(encodeGeohashTopic(60.173698, 24.949412)).toBe('60;24/19/74/39');
    expect(encodeGeohashTopic(60.171866, 24.943996)).toBe('60;24/19/74/13');
    expect(encodeGeohashTopic(60.173, 24.94)).toBe('60;24/19/74/30');
    expect(encodeGeohashTopic(60, 25)).toBe('60;25/00/00/00');
  });

  it('hfp geohash: negative coordinates keep their sign', () => {
    expect(encodeGeohashTopic(-0.5, -1.25)).toBe('-0;-1/52/05/00');
    expect(decodeHfpGeohash('-0;-1/52/05/00')).toEqual([-0.5, -1.25]);
  });

  it('hfp geohash: decode is the inverse to three decimals', () => {
    expect(decodeHfpGeohash('60;24/19/74/39')).toEqual([60.173, 24.949]);
    expect(decodeHfpGeohash('60;24/19/7')).toEqual([60.1, 24.9]);
    expect(decodeHfpGeohash('60;24/1x/74/39')).toEqual([60, 24]);
    expect(decodeHfpGeohash('x/60;24/19/74/39/', 2, 16)).toEqual([60.173, 24.949]);
    expect(decodeHfpGeohash('/19/74/39')).toBeNull();
    expect(decodeHfpGeohash('')).toBeNull();
    expect(decodeHfpGeohash('60')).toBeNull();
    expect(decodeHfpGeohash('60;24x/19')).toBeNull();
    expect(decodeHfpGeohash('6000;24/19/74/39')).toBeNull();
  });

  it('hfp geohash: level 0 first or on an integer change, 1..4 the changed digit, 5 below that', () => {
    const p = [60.17369, 24.94941] as const;
    expect(hfpGeohashLevel(null, p)).toBe(0);
    expect(hfpGeohashLevel(p, [61.17369, 24.94941])).toBe(0);
    expect(hfpGeohashLevel(p, [60.27369, 24.94941])).toBe(1);
    expect(hfpGeohashLevel(p, [60.17369, 24.95941])).toBe(2);
    expect(hfpGeohashLevel(p, [60.17469, 24.94941])).toBe(3);
    expect(hfpGeohashLevel(p, [60.17369, 24.94951])).toBe(4);
    expect(hfpGeohashLevel(p, [60.173691, 24.949412])).toBe(5);
    expect(hfpGeohashLevel(p, p)).toBe(5);
  });

  it('hfp geohash: topic tail round-trips through the topic parser', () => {
    const tail = geohashTopicTail([60.173698, 24.949412], [60.173036, 24.948786]);
    expect(tail).toBe('3/60;24/19/74/39'); // 24.948 -> 24.949: third decimal
    const t = parseHfpTopic(
      `/hfp/v2/journey/ongoing/vp/bus/0018/00678/1065/2/Rautatientori/06:05/1020106/${tail}`,
    );
    expect(t.ok && [t.value.geohashLevel, t.value.geohash]).toEqual([3, '60;24/19/74/39']);
    expect(t.ok && decodeHfpGeohash(t.value.geohash!)).toEqual([60.173, 24.949]);
    expect(geohashTopicTail(null)).toBe('0////');
    const none = parseHfpTopic(
      `/hfp/v2/journey/ongoing/vp/bus/0018/00678/1065/2/X/06:05/EOL/${geohashTopicTail(null)}`,
    );
    expect(none.ok && [none.value.geohashLevel, none.value.geohash]).toEqual([0, null]);
  });

  it('hfp geohash: coordinates outside WGS84 throw a typed error', () => {
    expect(() => encodeGeohashTopic(91, 24)).toThrow(HfpGeohashRangeError);
    expect(() => encodeGeohashTopic(Number.NaN, 24)).toThrow(HfpGeohashRangeError);
  });
});
