import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { newMessageId } from '../../../src/transport/delivery/headers.ts';

/** `<16 base64url characters: the process's random prefix>-<decimal counter>`. */
const MESSAGE_ID = /^([A-Za-z0-9_-]{16})-(0|[1-9][0-9]*)$/;

describe('headers', () => {
  it('headers: message ids are a per-process random prefix and a counter, all distinct', () => {
    const seen = new Set<string>();
    const prefixes = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const id = newMessageId();
      const m = MESSAGE_ID.exec(id);
      expect(m, id).not.toBeNull();
      prefixes.add(m![1]!);
      seen.add(id);
    }
    expect(seen.size).toBe(5_000);
    expect(prefixes.size).toBe(1);
  });

  it('headers: another process draws another prefix (ids stay unique across processes)', () => {
    const module = fileURLToPath(new URL('../../../src/transport/delivery/headers.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const script = `import { newMessageId } from ${JSON.stringify(module)}; console.log(newMessageId());`;
    const other = execFileSync(tsx, ['--eval', script], { encoding: 'utf8', timeout: 60_000 }).trim();
    const mine = newMessageId();
    expect(other).toMatch(MESSAGE_ID);
    expect(other.slice(0, 16)).not.toBe(mine.slice(0, 16));
  });
});
