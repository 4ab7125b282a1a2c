// Parse + normalize throughput of parseHfp beside bare JSON.parse of the same payloads, same run.
// Messages: every line of ../shared/hfp-samples/*.hfp when present, else generated realistic ones.
// Target (issue 2): parseHfp at least 0.5x the throughput of JSON.parse.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { geohashTopicTail, parseCaptureLine, parseHfp } from '../src/index.ts';

interface Msg {
  readonly topic: string;
  readonly payload: string;
}

const SAMPLES = join(import.meta.dirname, '../../../shared/hfp-samples');

function loadSamples(): Msg[] {
  if (!existsSync(SAMPLES)) return [];
  const out: Msg[] = [];
  for (const f of readdirSync(SAMPLES).filter((n) => n.endsWith('.hfp'))) {
    for (const line of readFileSync(join(SAMPLES, f), 'utf8').split('\n')) {
      const c = parseCaptureLine(line);
      if (c) out.push({ topic: c.topic, payload: c.payload });
    }
  }
  return out;
}

/** VP messages shaped like the live feed's (same fields, same number formats), deterministic. */
function generate(count: number): Msg[] {
  const out: Msg[] = [];
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (let i = 0; i < count; i++) {
    const lat = 60.15 + rnd() * 0.1;
    const lon = 24.85 + rnd() * 0.25;
    const veh = 100 + (i % 900);
    const tst = new Date(Date.UTC(2024, 4, 13, 6, 0, 0) + i * 1000).toISOString();
    const topic = `/hfp/v2/journey/ongoing/vp/bus/0022/0${veh}/1064/2/Itä-Pakila/07:20/1130106/${geohashTopicTail([lat, lon], [lat - 0.0003, lon])}`;
    const payload = JSON.stringify({
      VP: {
        desi: '64',
        dir: '2',
        oper: 22,
        veh,
        tst,
        tsi: Math.floor(Date.parse(tst) / 1000),
        spd: Math.round(rnd() * 1500) / 100,
        hdg: Math.floor(rnd() * 360),
        lat: Number(lat.toFixed(6)),
        long: Number(lon.toFixed(6)),
        acc: Math.round((rnd() - 0.5) * 200) / 100,
        dl: Math.floor((rnd() - 0.5) * 300),
        odo: Math.floor(rnd() * 20000),
        drst: rnd() < 0.1 ? 1 : 0,
        oday: '2024-05-13',
        jrn: 444,
        line: 850,
        start: '07:20',
        loc: 'GPS',
        stop: null,
        route: '1064',
        occu: 0,
      },
    });
    out.push({ topic, payload });
  }
  return out;
}

const samples = loadSamples();
const msgs = samples.length > 0 ? samples : generate(2000);
const source =
  samples.length > 0 ? `${samples.length} real captured messages` : `${msgs.length} generated VP messages`;

// Every message must parse, or the figures would time the rejection path.
const rejected = msgs.filter((m) => !parseHfp(m.topic, m.payload).ok).length;
if (rejected > 0) throw new Error(`${rejected} of ${msgs.length} benchmark messages were rejected`);

let sink = 0;

function runJson(): number {
  let n = 0;
  for (const m of msgs) {
    const v = JSON.parse(m.payload) as Record<string, unknown>;
    if (v !== null) n++;
  }
  return n;
}

function runHfp(): number {
  let n = 0;
  for (const m of msgs) {
    const r = parseHfp(m.topic, m.payload);
    if (r.ok) n += r.value.lat > 0 ? 1 : 0;
  }
  return n;
}

/** Messages per second of `fn` over `ms` of wall time. */
function measure(fn: () => number, ms: number): number {
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    sink += fn();
    count += msgs.length;
    now = performance.now();
  }
  return (count / (now - start)) * 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Warm both paths up so the JIT has optimised them before anything is timed.
measure(runJson, 1000);
measure(runHfp, 1000);
const json: number[] = [];
const hfp: number[] = [];
const ratios: number[] = [];
// Short interleaved rounds in alternating order, judged by the median of per-round ratios: on a
// machine busy with other work, load shifts hit both sides of a round alike.
for (let round = 0; round < 15; round++) {
  const first = round % 2 === 0;
  const a = measure(first ? runJson : runHfp, 300);
  const b = measure(first ? runHfp : runJson, 300);
  const j = first ? a : b;
  const h = first ? b : a;
  json.push(j);
  hfp.push(h);
  ratios.push(h / j);
}
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const ratio = median(ratios);
console.log(`messages: ${source}`);
console.log(
  `baseline JSON.parse(payload):         ${fmt(median(json))} msgs/s (median of ${json.length} rounds)`,
);
console.log(`parseHfp(topic, payload) -> position: ${fmt(median(hfp))} msgs/s`);
console.log(
  `ratio parseHfp / JSON.parse: ${ratio.toFixed(2)}x (median per-round; range ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}; target >= 0.50x)`,
);
if (sink === 42) console.log('');
