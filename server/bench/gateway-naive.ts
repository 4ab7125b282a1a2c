/**
 * The baseline of gateway-fanout.bench.ts: each position JSON-encoded and sent, one frame per
 * position, to every client whose viewport contains it. Only a buffer cap (so the run ends without
 * running out of memory); drops above it are counted.
 */
import type { Server as HttpServer } from 'node:http';
import { type BBox, bboxContains, type VehiclePosition } from '@realtimemap/shared';
import { WebSocket, WebSocketServer } from 'ws';

export function buildNaiveGateway(server: HttpServer, capBytes = 1 << 20) {
  const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });
  const clients = new Map<WebSocket, BBox | undefined>();
  let sent = 0;
  let dropped = 0;
  let bytes = 0;
  let queued = 0;
  wss.on('connection', (ws) => {
    clients.set(ws, undefined);
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { type: string; bbox?: BBox };
      if (m.type === 'viewport' && m.bbox) clients.set(ws, m.bbox);
    });
    ws.on('close', () => clients.delete(ws));
  });
  return {
    onPosition(p: VehiclePosition) {
      const frame = JSON.stringify(p);
      for (const [ws, bbox] of clients) {
        if (!bbox || !bboxContains(bbox, p.lon, p.lat) || ws.readyState !== WebSocket.OPEN) continue;
        if (ws.bufferedAmount > capBytes) {
          dropped++;
          continue;
        }
        ws.send(frame);
        sent++;
        bytes += frame.length;
        // Not all handed to the kernel: the frame has not left the server yet.
        if (ws.bufferedAmount > 0) queued++;
      }
    },
    stats: () => ({ sent, dropped, bytes, queued, clients: clients.size }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of clients.keys()) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}
