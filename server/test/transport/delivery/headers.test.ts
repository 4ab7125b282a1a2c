import { describe, expect, it } from 'vitest';
import { newMessageId } from '../../../src/transport/delivery/headers.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('headers', () => {
  it('headers: message ids are RFC 4122 v4 UUIDs, all distinct across several pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const id = newMessageId();
      expect(id).toMatch(UUID_V4);
      seen.add(id);
    }
    expect(seen.size).toBe(5_000);
  });
});
