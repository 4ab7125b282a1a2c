/**
 * Simulator output rate: how many HFP messages (topic + payload, quirks on) the fleet generates per
 * second of CPU, 1,000 vehicles on the built-in network. Baseline in the same run: JSON.stringify of
 * an equivalent payload object, the least any generator must do per message. Target: >= 50,000 msg/s.
 */
import { network } from '../src/sim/builtin-network.ts';
import { createFleet } from '../src/sim/fleet.ts';

const VEHICLES = 1000;
const SIM_SECONDS = 300;
const start = Date.parse('2026-11-27T06:00:00Z');

function simulate(): { messages: number; ms: number; bytes: number; cpuMs: number } {
  const fleet = createFleet({ network: network(), vehicles: VEHICLES, seed: 1, start });
  let messages = 0;
  let bytes = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  fleet.advance(start + SIM_SECONDS * 1000, (m) => {
    messages++;
    // Bytes, as a publisher must produce them: this also flattens the formatter's string ropes,
    // a real cost that counting `.length` would leave to whoever publishes.
    bytes += Buffer.byteLength(m.payload) + Buffer.byteLength(m.topic);
  });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { messages, ms, bytes, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function baseline(n: number): number {
  const t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const body = {
      VP: {
        desi: '64',
        dir: '1',
        oper: 18,
        veh: 679 + (i % 1000),
        tst: new Date(start + i).toISOString(),
        tsi: 1_700_000_000 + i,
        spd: 5.97,
        hdg: 6,
        lat: 60.249085 + i * 1e-9,
        long: 24.958315,
        acc: -0.15,
        dl: -399,
        odo: 10469,
        drst: 0,
        oday: '2026-11-27',
        jrn: 513,
        line: 80,
        start: '21:12',
        loc: 'GPS',
        stop: null,
        route: '1064',
        occu: 0,
      },
    };
    sink += JSON.stringify(body).length;
  }
  if (sink === 0) throw new Error('unreachable');
  return performance.now() - t0;
}

import { cpus, loadavg } from 'node:os';

console.log(
  `machine load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores (figures are only comparable at low load)`,
);
simulate(); // warm-up: JIT and the network's geometry
const run = simulate();
const baseMs = baseline(run.messages);
const rate = (run.messages / run.ms) * 1000;
const baseRate = (run.messages / baseMs) * 1000;
console.log(
  `fleet: ${VEHICLES} vehicles, ${SIM_SECONDS} simulated s, ${run.messages} messages (${(run.bytes / run.messages).toFixed(0)} B topic + payload avg)`,
);
console.log(
  `simulator output:          ${rate.toFixed(0)} msg/s  (${(run.messages / VEHICLES / SIM_SECONDS).toFixed(2)} msg per vehicle-second)`,
);
console.log(
  `simulator per CPU-second:  ${((run.messages / run.cpuMs) * 1000).toFixed(0)} msg/s (this process's CPU time)`,
);
console.log(`baseline JSON.stringify:   ${baseRate.toFixed(0)} msg/s`);
console.log(`ratio sim / baseline:      ${(rate / baseRate).toFixed(2)}`);
console.log(`target >= 50,000 msg/s:    ${rate >= 50_000 ? 'met' : 'MISSED'}`);
console.log(`real-time headroom:        ${(rate / (VEHICLES * 1.05)).toFixed(0)}x a 1,000-vehicle fleet`);
