// Position source for gateway-fanout.bench.ts, run as a separate process (plain JS): a fleet of
// VEHICLES buses wandering around CITY, each reporting once a second, sent as newline-delimited JSON
// over TCP to PORT. On start it sends one position per vehicle (the fleet the clients' snapshots
// show), then waits for 'go' and sends RATE positions/s in 10 ms steps until 'stop'. A server that
// reads slowly is not compensated: "positions in" is what it read (beyond 1 MiB unsent, the source
// skips positions rather than bury it).
import { connect } from 'node:net';

const RATE = Number(process.env.RATE);
const VEHICLES = Number(process.env.VEHICLES);
const [W, S, E, N] = JSON.parse(process.env.CITY);
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const now = Date.now();
const fleet = Array.from({ length: VEHICLES }, (_, i) => ({
  vehicleId: `0022/${String(i).padStart(5, '0')}`,
  operatorId: '0022',
  vehicleNumber: String(i).padStart(5, '0'),
  mode: i % 5 === 0 ? 'tram' : 'bus',
  eventType: 'vp',
  journeyType: 'journey',
  routeId: String(1000 + (i % 120)),
  line: String(i % 120),
  direction: 1,
  headsign: 'Rautatientori',
  startTime: '10:05',
  operatingDay: '2026-11-27',
  lat: S + random() * (N - S),
  lon: W + random() * (E - W),
  heading: 90,
  speed: 9.5,
  acceleration: 0,
  delay: 30,
  odometer: 1000,
  doorsOpen: false,
  occupancy: 0,
  eventTime: now,
  source: 'GPS',
  nextStop: '1020453',
  stop: null,
}));
let cursor = 0;
function next() {
  const i = cursor;
  cursor = (cursor + 1) % fleet.length;
  const v = fleet[i];
  const moved = {
    ...v,
    lat: Math.min(N, Math.max(S, v.lat + (random() - 0.5) * 2e-4)),
    lon: Math.min(E, Math.max(W, v.lon + (random() - 0.5) * 4e-4)),
    eventTime: Math.max(Date.now(), v.eventTime + 1),
  };
  fleet[i] = moved;
  // Prefixed with the send time: the bench measures latency from here, so time a position spends
  // waiting in the server's socket while the server is busy counts too.
  return `${Date.now()} ${JSON.stringify(moved)}\n`;
}

const socket = connect(Number(process.env.PORT), '127.0.0.1');
socket.setNoDelay(true);
let timer;
socket.on('connect', () => {
  let lines = '';
  for (let i = 0; i < VEHICLES; i++) lines += next();
  socket.write(lines);
  process.send({ type: 'ready' });
});
process.on('message', (msg) => {
  if (msg === 'go') {
    const t0 = performance.now();
    let emitted = 0;
    timer = setInterval(() => {
      const due = Math.floor(((performance.now() - t0) / 1000) * RATE);
      // A server that does not keep up is not buried: positions it has no room for are skipped.
      if (socket.writableLength > 1 << 20) {
        emitted = due;
        return;
      }
      let lines = '';
      for (; emitted < due; emitted++) lines += next();
      if (lines) socket.write(lines);
    }, 10);
  } else if (msg === 'stop') {
    // Positions a slow server has not read yet are dropped: the run is over.
    clearInterval(timer);
    socket.destroy();
    process.exit(0);
  }
});
