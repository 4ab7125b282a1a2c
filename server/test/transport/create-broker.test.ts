import { describe, expect, it } from 'vitest';
import { BACKENDS, createBroker } from '../../src/transport/create-broker.ts';
import { InvalidOptionError } from '../../src/transport/errors.ts';

describe('create broker', () => {
  it('create broker: memory works end to end', async () => {
    const broker = await createBroker({ backend: 'memory' });
    const got: unknown[] = [];
    await broker.subscribe('a.b', (m) => {
      got.push(m.value);
    });
    await broker.publish('a.b', { x: 1 });
    await broker.close();
    expect(got).toEqual([{ x: 1 }]);
  });

  it('create broker: every backend loads lazily and is created without connecting', async () => {
    for (const backend of BACKENDS) {
      const broker = await createBroker({ backend, url: backend === 'kafka' ? '127.0.0.1:9092' : undefined });
      expect(broker.name).toBe(backend);
      expect(broker.status.type).toBe('idle');
      expect(typeof broker.capabilities.persistent).toBe('boolean');
    }
  });

  it('create broker: an unknown backend is refused', async () => {
    await expect(createBroker({ backend: 'pigeon' as 'memory' })).rejects.toBeInstanceOf(InvalidOptionError);
  });
});
