// Load generator for gateway-fanout.bench.ts, run as a separate process (plain JS: no tsx overhead).
// Opens COUNT WebSocket clients to URL, each sending a viewport of about a tenth of the city at a
// seeded random place. A minimal RFC 6455 client on raw TCP: it walks frame headers and skips the
// payloads (answering pings and closes), so on a 2-core machine the load takes as little CPU from the
// server as a client can; a `ws` client parsing 200 MB/s of frames would starve the server it measures.
// It counts frames, payload bytes, updates (from each batch header) and the lag from the frame's
// serverTime to its arrival here. The parent asks for counts over IPC.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

const url = new URL(process.env.URL);
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

// Batch frame header (shared/src/protocol/codec.ts): tag u8, version u8, serverTime f64, removed u32, updates u32.
const HEADER = 18;
const sockets = [];
let frames = 0;
let bytes = 0;
let updates = 0;
let closedByServer = 0;
let failed = 0;
/** Lag histogram, 1 ms buckets up to 10 s: serverTime in the frame -> read here. */
const lag = new Uint32Array(10_001);

/** One masked client frame (text or control). */
function clientFrame(opcode, payload) {
  const len = payload.length;
  const head = len < 126 ? 2 : 4;
  const out = Buffer.allocUnsafe(head + 4 + len);
  out[0] = 0x80 | opcode;
  if (len < 126) out[1] = 0x80 | len;
  else {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(len, 2);
  }
  const mask = randomBytes(4);
  mask.copy(out, head);
  for (let i = 0; i < len; i++) out[head + 4 + i] = payload[i] ^ mask[i & 3];
  return out;
}

/** Incremental frame walker: header bytes are gathered, payloads skipped except what we read. */
function reader(socket) {
  const hdr = Buffer.alloc(14);
  let hdrLen = 0;
  let need = 2; // header bytes needed
  let remaining = -1; // payload bytes left in the current frame; -1 = reading a header
  let opcode = 0;
  let payloadSeen = 0;
  let control = []; // control-frame payload pieces
  const peek = Buffer.alloc(HEADER);
  const onPayloadEnd = () => {
    if (opcode === 0x9) socket.write(clientFrame(0xa, Buffer.concat(control)));
    else if (opcode === 0x8) {
      closedByServer++;
      socket.end(clientFrame(0x8, Buffer.concat(control).subarray(0, 2)));
    } else if (opcode === 0x2 && payloadSeen >= HEADER) {
      updates += peek.readUInt32LE(14);
      const ms = Date.now() - peek.readDoubleLE(2);
      lag[Math.max(0, Math.min(10_000, Math.round(ms)))]++;
    }
    if (opcode === 0x1 || opcode === 0x2) frames++;
    control = [];
  };
  return (chunk) => {
    let i = 0;
    while (i < chunk.length) {
      if (remaining < 0) {
        hdr[hdrLen++] = chunk[i++];
        if (hdrLen < need) continue;
        if (hdrLen === 2) {
          const l = hdr[1] & 0x7f;
          need = l === 126 ? 4 : l === 127 ? 10 : 2;
          if (hdrLen < need) continue;
        }
        opcode = hdr[0] & 0x0f;
        const l = hdr[1] & 0x7f;
        remaining = l === 126 ? hdr.readUInt16BE(2) : l === 127 ? Number(hdr.readBigUInt64BE(2)) : l;
        if (opcode === 0x1 || opcode === 0x2) bytes += remaining;
        hdrLen = 0;
        need = 2;
        payloadSeen = 0;
        if (remaining === 0) {
          remaining = -1;
          onPayloadEnd();
        }
        continue;
      }
      const take = Math.min(remaining, chunk.length - i);
      if (opcode >= 0x8) control.push(chunk.subarray(i, i + take));
      else if (opcode === 0x2 && payloadSeen < HEADER) {
        const n = Math.min(take, HEADER - payloadSeen);
        chunk.copy(peek, payloadSeen, i, i + n);
      }
      payloadSeen += take;
      remaining -= take;
      i += take;
      if (remaining === 0) {
        remaining = -1;
        onPayloadEnd();
      }
    }
  };
}

function open() {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    let handshake = Buffer.alloc(0);
    let onData;
    let upgraded = false;
    const done = () => {
      resolve();
    };
    socket.on('connect', () => {
      socket.write(
        `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk) => {
      if (onData) return onData(chunk);
      handshake = Buffer.concat([handshake, chunk]);
      const end = handshake.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!handshake.subarray(0, 12).toString().includes(' 101')) {
        failed++;
        socket.destroy();
        return done();
      }
      upgraded = true;
      sockets.push(socket);
      const x = W + random() * (E - W - w);
      const y = S + random() * (N - S - h);
      const viewport = JSON.stringify({ type: 'viewport', bbox: [x, y, x + w, y + h], zoom: 12 });
      socket.write(clientFrame(0x1, Buffer.from(viewport)));
      onData = reader(socket);
      const rest = handshake.subarray(end + 4);
      handshake = undefined;
      if (rest.length > 0) onData(rest);
      done();
    });
    socket.on('error', () => {
      if (!upgraded) failed++;
      done();
    });
    socket.setTimeout(15_000, () => {
      if (!upgraded) socket.destroy();
    });
  });
}

process.on('message', async (msg) => {
  if (msg === 'open') {
    // Bounded: on a loaded machine, measure with the clients that connected within the deadline.
    const deadline = Date.now() + Number(process.env.OPEN_DEADLINE_MS ?? 30_000);
    for (let i = 0; i < count && Date.now() < deadline; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, count - i) }, open));
    }
    for (const s of sockets) s.setTimeout(0);
    process.send({ type: 'opened', open: sockets.filter((s) => !s.destroyed).length, failed });
  } else if (msg === 'report') {
    process.send({ type: 'report', frames, bytes, updates, closedByServer, lag: Array.from(lag) });
  } else if (msg === 'close') {
    for (const s of sockets) s.destroy();
    process.exit(0);
  }
});
process.send({ type: 'ready' });
