import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeGeohashTopic, parseCaptureLine, parseHfp } from '../../src/hfp/index.ts';

// Real HSL captures beside the repository (never copied into it). Skipped when absent.
const DIR = fileURLToPath(new URL('../../../../shared/hfp-samples', import.meta.url));
const present = existsSync(DIR) && readdirSync(DIR).some((f) => f.endsWith('.hfp'));

function files(): string[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.hfp'))
    .sort();
}

function lines(file: string): string[] {
  return readFileSync(`${DIR}/${file}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

// Independent of the parser: the topic's event level and the payload's key, by regex over the raw line.
const TOPIC_EVENT = /^\S+ \/hfp\/v2\/(?:journey|deadrun|signoff)\/(?:ongoing|upcoming)\/([a-z]+)\//;
const PAYLOAD_KEY = / \{"([A-Z]+)":\{/;
const VEHICLE = /^\S+ \/hfp\/v2\/[^/]+\/[^/]+\/[^/]+\/[^/]*\/(\d+)\/(\d+)(?:\/|\s)/;
const LAT = /"lat":(-?[\d.]+)/;
const LONG = /"long":(-?[\d.]+)/;

// Skipped, with the reason in the suite name, when the captures are not beside the repository.
const suite = present ? describe : describe.skip;

suite(present ? 'hfp samples' : 'hfp samples (skipped: ../shared/hfp-samples is absent)', () => {
  it('hfp samples: every line of every capture parses to a position', () => {
    let total = 0;
    for (const f of files()) {
      for (const line of lines(f)) {
        const c = parseCaptureLine(line);
        expect(c, `${f}: ${line.slice(0, 80)}`).not.toBeNull();
        const r = parseHfp(c!.topic, c!.payload);
        if (!r.ok) expect.fail(`${f}: ${r.reason} ${r.detail} in ${line.slice(0, 120)}`);
        total++;
      }
    }
    expect(total).toBeGreaterThan(0);
  });

  it('hfp samples: per-event-type counts equal a regex count over the raw lines', () => {
    for (const f of files()) {
      const byRegex = new Map<string, number>();
      const byParser = new Map<string, number>();
      for (const line of lines(f)) {
        const topicEvent = TOPIC_EVENT.exec(line)?.[1];
        const payloadKey = PAYLOAD_KEY.exec(line)?.[1];
        expect(payloadKey?.toLowerCase(), line.slice(0, 120)).toBe(topicEvent);
        byRegex.set(topicEvent!, (byRegex.get(topicEvent!) ?? 0) + 1);
        const c = parseCaptureLine(line)!;
        const r = parseHfp(c.topic, c.payload);
        if (r.ok) byParser.set(r.value.eventType, (byParser.get(r.value.eventType) ?? 0) + 1);
      }
      expect(Object.fromEntries(byParser), f).toEqual(Object.fromEntries(byRegex));
    }
  });

  it('hfp samples: ids, coordinates and topic geohash agree with the raw text', () => {
    for (const f of files()) {
      for (const line of lines(f)) {
        const c = parseCaptureLine(line)!;
        const r = parseHfp(c.topic, c.payload);
        if (!r.ok) continue;
        const v = VEHICLE.exec(line);
        expect(r.value.vehicleId).toBe(`${v![1]}/${v![2]}`);
        expect(r.value.lat).toBe(Number(LAT.exec(line)![1]));
        expect(r.value.lon).toBe(Number(LONG.exec(line)![1]));
        expect(r.value.lat).toBeGreaterThanOrEqual(-90);
        expect(r.value.lat).toBeLessThanOrEqual(90);
        expect(Number.isFinite(r.value.eventTime)).toBe(true);
        // HSL's topic geohash is the payload position truncated to 3 decimals.
        if (r.message.topic.geohash !== null)
          expect(r.message.topic.geohash).toBe(encodeGeohashTopic(r.value.lat, r.value.lon));
        if (r.value.journeyType === 'deadrun') expect(r.value.routeId).toBeNull();
      }
    }
  });
});
