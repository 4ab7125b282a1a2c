import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { holdWritesForTurn } from '../../../src/transport/backends/redis/turn-writes.ts';

/** A stream that records each write reaching it (after any holding) as text. */
function recorder(): { stream: Writable; writes: string[] } {
  const writes: string[] = [];
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: unknown, _encoding, done) {
      writes.push(String(chunk));
      done();
    },
  });
  return { stream, writes };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('redis turn-writes', () => {
  it('a held turn reaches the stream as one write, at setImmediate; writes outside a hold pass at once', async () => {
    const { stream, writes } = recorder();
    stream.write('before;');
    expect(writes).toEqual(['before;']);
    holdWritesForTurn(stream);
    stream.write('a;');
    holdWritesForTurn(stream);
    stream.write('b;');
    expect(writes).toEqual(['before;']);
    await nextTurn();
    expect(writes).toEqual(['before;', 'a;b;']);
    stream.write('after;');
    expect(writes).toEqual(['before;', 'a;b;', 'after;']);
  });

  it('a Buffer, an encoded write, end() and destroy() send what is held first (order kept)', async () => {
    const { stream, writes } = recorder();
    holdWritesForTurn(stream);
    stream.write('a;');
    stream.write(Buffer.from('bin;'));
    stream.write('b;');
    stream.write('c;', 'latin1');
    stream.write('d;');
    stream.end('e;');
    await nextTurn();
    expect(writes.join('')).toBe('a;bin;b;c;d;e;');
    expect(writes[0]).toBe('a;');

    const second = recorder();
    holdWritesForTurn(second.stream);
    second.stream.write('x;');
    second.stream.destroy();
    await nextTurn();
    expect(second.writes).toEqual(['x;']);
  });
});
