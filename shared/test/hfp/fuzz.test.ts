import { describe, expect, it } from 'vitest';
import { HFP_EVENT_TYPES, HFP_REJECT_REASONS, parseCaptureLine, parseHfp } from '../../src/hfp/index.ts';
import { VP_BODY, VP_TOPIC } from './fixtures.ts';

// Deterministic: the same seed gives the same 100,000 cases on every run and machine.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = mulberry32(0x48_46_50);
const int = (n: number) => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

const ALPHABET = '/;{}[]":,.-+eE0123456789 abcvpVPhfpäö\u0000\n\\#+';
const TOPICS = [
  VP_TOPIC,
  '/hfp/v2/deadrun/ongoing/vp/bus/0018/00678',
  '/hfp/v2/journey/ongoing/tlr/tram/0040/00431/1006/1/Eira/10:00/1130446/5/60;24/16/93/58',
  '/hfp/v2/journey/ongoing/vp/bus/0012/01215/1059/1/Kamppi/10:00/EOL/0////',
  '/hfp/v2/signoff/ongoing/vjout/metro/0050/00612',
];
const WEIRD_VALUES: readonly unknown[] = [
  null,
  '',
  'XXX',
  'n/a',
  -1,
  0,
  360,
  2147483647,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER,
  0.1,
  '60.17',
  true,
  [],
  {},
  [1, 2],
  { lat: 1 },
  '2023-10-30T04:31:53.023Z',
  '9999-99-99T99:99:99.999Z',
  '\u0000',
  'ä',
];
const KEYS = [
  ...Object.keys(VP_BODY),
  'ttarr',
  'ttdep',
  'dr-type',
  'tlp-requestid',
  'sid',
  'label',
  '__proto__',
];

const encoder = new TextEncoder();

function randomString(max: number): string {
  const n = int(max);
  const codes: number[] = new Array(n);
  for (let i = 0; i < n; i++)
    codes[i] = rnd() < 0.9 ? ALPHABET.charCodeAt(int(ALPHABET.length)) : int(0xffff);
  return String.fromCharCode(...codes);
}

function randomBytes(max: number): Uint8Array {
  const b = new Uint8Array(int(max));
  for (let i = 0; i < b.length; i++) b[i] = int(256);
  return b;
}

function mutateText(s: string): string {
  switch (int(5)) {
    case 0:
      return s.slice(0, int(s.length + 1)); // truncate
    case 1: {
      const i = int(s.length + 1);
      return s.slice(0, i) + randomString(4) + s.slice(i); // insert
    }
    case 2: {
      const i = int(s.length);
      return s.slice(0, i) + s.slice(i + 1 + int(3)); // delete
    }
    case 3: {
      const i = int(s.length);
      return s.slice(0, i) + ALPHABET[int(ALPHABET.length)] + s.slice(i + 1); // replace
    }
    default:
      return randomString(200);
  }
}

function mutateTopic(): string {
  const base = pick(TOPICS);
  if (rnd() < 0.5) {
    const parts = base.split('/');
    const i = 1 + int(parts.length - 1);
    parts[i] =
      rnd() < 0.3
        ? ''
        : rnd() < 0.5
          ? randomString(8)
          : pick(['v1', 'v2', 'vp', 'EOL', '0', 'journey', 'bus']);
    if (rnd() < 0.2) parts.length = int(parts.length + 1);
    return parts.join('/');
  }
  return mutateText(base);
}

function mutatePayload(eventKey: string): string | Uint8Array {
  const body: Record<string, unknown> = { ...VP_BODY };
  const changes = 1 + int(5);
  for (let i = 0; i < changes; i++) {
    const k = pick(KEYS);
    if (rnd() < 0.2) delete body[k];
    else if (rnd() < 0.3) body[k] = (rnd() - 0.5) * 10 ** int(12);
    else body[k] = pick(WEIRD_VALUES);
  }
  const key = rnd() < 0.9 ? eventKey : pick(['APC', 'vp', '', 'VP', 'DUE']);
  let text = JSON.stringify(rnd() < 0.05 ? { [key]: body, X: {} } : { [key]: body });
  if (rnd() < 0.3) text = mutateText(text);
  return rnd() < 0.2 ? encoder.encode(text) : text;
}

describe('hfp fuzz', () => {
  it('hfp fuzz: 100,000 mutated, truncated and random messages never throw nor yield bad coordinates', () => {
    const reasons = new Set<string>(HFP_REJECT_REASONS);
    const seen = new Map<string, number>();
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      const event = pick(HFP_EVENT_TYPES);
      let topic: string;
      let payload: string | Uint8Array;
      const mode = i % 4;
      if (mode === 0) {
        topic = mutateTopic();
        payload = mutatePayload('VP');
      } else if (mode === 1) {
        topic = VP_TOPIC.replace('/vp/', `/${event}/`);
        payload = mutatePayload(event.toUpperCase());
      } else if (mode === 2) {
        topic = randomString(120);
        payload = randomString(300);
      } else {
        topic = mutateTopic();
        payload = randomBytes(64);
      }
      let r: ReturnType<typeof parseHfp>;
      try {
        r = parseHfp(topic, payload);
      } catch (e) {
        throw new Error(`threw on case ${i}: ${String(e)} topic=${JSON.stringify(topic)}`);
      }
      if (i % 10 === 0 && typeof payload === 'string') {
        // The capture reader takes the same garbage: a line or null, never an exception.
        const line = parseCaptureLine(
          `${rnd() < 0.5 ? '2024-05-13T05:49:03.211Z' : randomString(30)} ${topic} ${payload}`,
        );
        if (line !== null && !(Number.isFinite(line.receivedAt) && line.payload.startsWith('{')))
          expect.fail(`case ${i}: capture line ${JSON.stringify(line)}`);
      }
      const key = r.ok ? 'ok' : r.reason;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      if (!r.ok) {
        if (!reasons.has(r.reason) || r.reason === 'internal_error')
          expect.fail(`case ${i}: reason ${r.reason} (${r.detail})`);
        continue;
      }
      const v = r.value;
      if (
        !(v.lat >= -90 && v.lat <= 90 && v.lon >= -180 && v.lon <= 180) ||
        !Number.isFinite(v.eventTime) ||
        (v.heading !== null && !(v.heading >= 0 && v.heading < 360)) ||
        !/^\d+\/\d+$/.test(v.vehicleId)
      )
        expect.fail(`case ${i}: out-of-range value ${JSON.stringify(v)}`);
    }
    // The generator reaches both outcomes and most reasons, or it is not testing much.
    expect(seen.get('ok') ?? 0).toBeGreaterThan(1000);
    for (const r of ['bad_topic', 'bad_json', 'bad_payload', 'unknown_event', 'no_position', 'bad_timestamp'])
      expect(seen.get(r) ?? 0, r).toBeGreaterThan(0);
  });
});
