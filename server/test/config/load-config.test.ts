import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load-config.ts';

function problems(argv: string[], env: Record<string, string> = {}): readonly string[] {
  try {
    loadConfig(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config: load', () => {
  it('config: defaults give the offline all-in-one', () => {
    const c = loadConfig([], {});
    expect(c.role).toBe('start');
    expect(c.feed).toEqual({ kind: 'sim' });
    expect(c.broker).toBe('memory');
    expect(c.port).toBe(8080);
    expect(c.staleMs).toBe(60_000);
    expect(c.removeMs).toBe(180_000);
    expect(c.trailLength).toBe(200);
    expect(c.styleUrl).toMatch(/^https:\/\/tiles\.openfreemap\.org/);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('config: flags win over environment variables', () => {
    const c = loadConfig(['start', '--port', '9000', '--feed=live', '--style-url', 'offline'], {
      RTM_PORT: '7000',
      RTM_TICK_MS: '50',
      RTM_ORIGINS: 'http://a.example, http://b.example',
    });
    expect(c.port).toBe(9000);
    expect(c.tickMs).toBe(50);
    expect(c.feed).toEqual({ kind: 'live', url: 'mqtts://mqtt.hsl.fi:8883' });
    expect(c.styleUrl).toBeNull();
    expect(c.origins).toEqual(['http://a.example', 'http://b.example']);
  });

  it('config: feed switch accepts mqtt URLs and replay files', () => {
    expect(loadConfig(['--feed', 'mqtt://127.0.0.1:1883'], {}).feed).toEqual({
      kind: 'mqtt',
      url: 'mqtt://127.0.0.1:1883',
    });
    expect(loadConfig([], { RTM_FEED: 'replay:/tmp/x.hfp' }).feed).toEqual({
      kind: 'replay',
      file: '/tmp/x.hfp',
    });
  });

  it('config: every problem is reported together, naming flag and variable', () => {
    const p = problems(['--port', 'abc', '--bogus', '1', '--feed', 'carrier-pigeon'], {
      RTM_TICK_MS: '-5',
      RTM_BROKER: 'zeromq',
      RTM_STALE_MS: '5000',
      RTM_REMOVE_MS: '4000',
    });
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringContaining('unknown flag --bogus'),
        expect.stringContaining('unexpected argument "1"'),
        expect.stringMatching(/--port="abc".*RTM_PORT/),
        expect.stringMatching(/RTM_TICK_MS="-5"/),
        expect.stringMatching(/RTM_BROKER="zeromq"/),
        expect.stringContaining('--feed / RTM_FEED="carrier-pigeon"'),
        expect.stringContaining('RTM_REMOVE_MS (4000) must be greater'),
      ]),
    );
    expect(p).toHaveLength(7);
  });

  it('config: roles check what they need', () => {
    expect(problems(['gateway'])).toEqual([expect.stringContaining('needs a shared backend')]);
    expect(problems(['record'])).toEqual([expect.stringContaining('--out')]);
    expect(problems(['fly'])).toEqual([expect.stringContaining('unknown command "fly"')]);
    expect(loadConfig(['gateway', '--broker', 'nats'], {}).role).toBe('gateway');
  });
});
