// Load generator for gateway-fanout.bench.ts, run as a separate process (plain JS: no tsx overhead).
// Opens COUNT WebSocket clients to URL, each sending a viewport of about a tenth of the city at a
// seeded random place, and counts frames and bytes. The parent asks for counts over IPC.
import WebSocket from 'ws';

const url = process.env.URL;
const count = Number(process.env.COUNT);
let seed = Number(process.env.SEED ?? 1);
const [W, S, E, N] = JSON.parse(process.env.CITY);
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
// A tenth of the area: each side scaled by 1/sqrt(10).
const w = (E - W) / Math.sqrt(10);
const h = (N - S) / Math.sqrt(10);

const sockets = [];
let frames = 0;
let bytes = 0;
let closedByServer = 0;
let failed = 0;

function open() {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 15_000 });
    ws.on('open', () => {
      const x = W + random() * (E - W - w);
      const y = S + random() * (N - S - h);
      ws.send(JSON.stringify({ type: 'viewport', bbox: [x, y, x + w, y + h], zoom: 12 }));
      resolve();
    });
    ws.on('message', (data) => {
      frames++;
      bytes += data.length;
    });
    ws.on('close', () => closedByServer++);
    ws.on('error', () => {
      if (ws.readyState !== WebSocket.OPEN) failed++;
      resolve();
    });
    sockets.push(ws);
  });
}

process.on('message', async (msg) => {
  if (msg === 'open') {
    // Bounded: on a loaded machine, measure with the clients that connected within the deadline.
    const deadline = Date.now() + Number(process.env.OPEN_DEADLINE_MS ?? 30_000);
    for (let i = 0; i < count && Date.now() < deadline; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, count - i) }, open));
    }
    process.send({
      type: 'opened',
      open: sockets.filter((s) => s.readyState === WebSocket.OPEN).length,
      failed,
    });
  } else if (msg === 'report') {
    process.send({ type: 'report', frames, bytes, closedByServer });
  } else if (msg === 'close') {
    for (const s of sockets) s.terminate();
    process.exit(0);
  }
});
process.send({ type: 'ready' });
