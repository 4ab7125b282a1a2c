import { describe, expect, it } from 'vitest';
import { HFP_ERROR_CLASSES, HfpError } from '../../src/hfp/index.ts';

describe('hfp errors', () => {
  it('hfp errors: codes are unique, HFP_-prefixed and match their instances', () => {
    const codes = HFP_ERROR_CLASSES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^HFP_[A-Z_]+$/);
  });

  it('hfp errors: each class is an HfpError named after itself', () => {
    const samples = [
      new HFP_ERROR_CLASSES[0]('bad_json', 'x'),
      new HFP_ERROR_CLASSES[1](91, 0),
      new HFP_ERROR_CLASSES[2]('x'),
    ];
    samples.forEach((e, i) => {
      const cls = HFP_ERROR_CLASSES[i]!;
      expect(e).toBeInstanceOf(HfpError);
      expect(e).toBeInstanceOf(Error);
      expect(e.code).toBe(cls.code);
      expect(e.name).toBe(cls.name);
    });
    expect(samples).toHaveLength(HFP_ERROR_CLASSES.length);
  });
});
