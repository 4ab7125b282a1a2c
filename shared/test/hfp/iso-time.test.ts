import { describe, expect, it } from 'vitest';
import { parseIsoMillis } from '../../src/hfp/index.ts';

describe('hfp iso time', () => {
  it('hfp iso time: the feed format with 0 to 9 fraction digits', () => {
    for (const s of [
      '2023-10-30T04:31:52Z',
      '2023-10-30T04:31:52.4Z',
      '2023-10-30T04:31:52.42Z',
      '2023-10-30T04:31:52.427Z',
      '2023-10-30T04:31:52.427123Z',
      '2024-02-29T23:59:59.999999999Z',
    ]) {
      expect(parseIsoMillis(s), s).toBe(Date.parse(s));
    }
  });

  it('hfp iso time: offsets go through Date.parse', () => {
    expect(parseIsoMillis('2023-10-30T06:31:52.427+02:00')).toBe(Date.UTC(2023, 9, 30, 4, 31, 52, 427));
  });

  it('hfp iso time: invalid timestamps are NaN', () => {
    for (const s of [
      '',
      'XXX',
      '2023-10-30',
      '2023-13-30T04:31:52Z',
      '2023-02-29T04:31:52Z',
      '2023-10-30T04:31:52.Z',
      '2023-10-30T04:31:52,4Z',
      '2023-10-30T04:31:5xZ',
      '2023-10-30T04:31:52.4a7Z',
    ]) {
      expect(parseIsoMillis(s), s).toBeNaN();
    }
  });
});
