import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

describe('cli: main', () => {
  it('cli: a bad configuration exits 2 and lists every problem', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['--port', 'x', '--feed', 'nope'], {})).toBe(2);
      const text = err.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toContain('--port="x"');
      expect(text).toContain('RTM_FEED');
    } finally {
      err.mockRestore();
    }
  });

  it('cli: --help lists the flags with their variables', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['--help'], {})).toBe(0);
      expect(String(out.mock.calls[0]?.[0])).toMatch(/--feed\s+RTM_FEED/);
    } finally {
      out.mockRestore();
    }
  });
});
