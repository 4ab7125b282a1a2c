import { describe, expect, it } from 'vitest';
import { newTraceparent, parseTraceparent } from '../../../src/transport/delivery/traceparent.ts';

const VALID = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('traceparent', () => {
  it('traceparent: parses a valid header and refuses malformed ones', () => {
    expect(parseTraceparent(VALID)).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentId: 'b7ad6b7169203331',
      flags: '01',
    });
    expect(parseTraceparent(undefined)).toBeUndefined();
    expect(parseTraceparent('garbage')).toBeUndefined();
    expect(parseTraceparent(VALID.toUpperCase())).toBeUndefined(); // hex must be lower-case
    expect(parseTraceparent(`ff${VALID.slice(2)}`)).toBeUndefined(); // version ff is invalid
    expect(parseTraceparent(`${VALID}-extra`)).toBeUndefined(); // version 00 has exactly four fields
    expect(parseTraceparent(`01${VALID.slice(2)}-extra`)?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(parseTraceparent(`00-${'0'.repeat(32)}-b7ad6b7169203331-01`)).toBeUndefined();
    expect(parseTraceparent(`00-0af7651916cd43dd8448eb211c80319c-${'0'.repeat(16)}-01`)).toBeUndefined();
  });

  it('traceparent: a child keeps trace id and flags with a new span id; a root is new and sampled', () => {
    const parent = parseTraceparent(VALID)!;
    const child = parseTraceparent(newTraceparent(parent))!;
    expect(child.traceId).toBe(parent.traceId);
    expect(child.flags).toBe('01');
    expect(child.parentId).not.toBe(parent.parentId);
    const a = parseTraceparent(newTraceparent())!;
    const b = parseTraceparent(newTraceparent())!;
    expect(a.flags).toBe('01');
    expect(a.traceId).not.toBe(b.traceId);
  });
});
