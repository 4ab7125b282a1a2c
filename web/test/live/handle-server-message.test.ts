import { encodeServerMessage, PROTOCOL_VERSION } from '@realtimemap/shared';
import { describe, expect, it } from 'vitest';
import { WebError } from '../../src/live/errors.ts';
import {
  decodeFrame,
  handleServerMessage,
  type MessageContext,
} from '../../src/live/handle-server-message.ts';
import { MessageBuffer } from '../../src/live/message-buffer.ts';
import { RateLimiter } from '../../src/live/rate-limiter.ts';
import { VehicleStore } from '../../src/live/vehicle-store.ts';
import { createUiStore } from '../../src/state/ui-store.ts';
import { vehicle } from '../support/vehicle.ts';

function context(limit = 3): MessageContext {
  return { buffer: new MessageBuffer(), ui: createUiStore(), toastLimiter: new RateLimiter(limit, 5_000) };
}

/** As the browser hands it over with binaryType 'arraybuffer'. */
function asSocketData(frame: string | Uint8Array | ArrayBuffer): string | ArrayBuffer {
  if (typeof frame === 'string' || frame instanceof ArrayBuffer) return frame;
  return frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength) as ArrayBuffer;
}

describe('protocol handling', () => {
  it('protocol handling: a batch encoded by the server codec decodes and reaches the store on flush', () => {
    const ctx = context();
    const frame = encodeServerMessage({
      type: 'batch',
      serverTime: 5,
      updates: [vehicle({ vehicleId: '0022/00001', line: '550', speed: 12.5, doorsOpen: true })],
      removed: [],
    });
    const message = decodeFrame(asSocketData(frame));
    expect(message.type).toBe('batch');
    handleServerMessage(message, ctx, 0);
    const store = new VehicleStore();
    ctx.buffer.flush(store, 0);
    const v = store.get('0022/00001')?.state;
    expect(v?.line).toBe('550');
    expect(v?.speed).toBeCloseTo(12.5, 1);
    expect(v?.doorsOpen).toBe(true);
  });

  it('protocol handling: hello and status set the feed mode and the total', () => {
    const ctx = context();
    handleServerMessage(
      { type: 'hello', protocol: PROTOCOL_VERSION, serverTime: 0, feedMode: 'replay', tickMs: 1000 },
      ctx,
      0,
    );
    expect(ctx.ui.getState().feedMode).toBe('replay');
    handleServerMessage(
      { type: 'status', feedMode: 'live', vehicles: 1234, messagesPerSecond: 900, clients: 2 },
      ctx,
      0,
    );
    expect(ctx.ui.getState().feedMode).toBe('live');
    expect(ctx.ui.getState().totalVehicles).toBe(1234);
  });

  it('protocol handling: geofence events become rate-limited toasts with a "+N more" summary', () => {
    const ctx = context(2);
    const event = (i: number) => ({
      type: 'geofence' as const,
      event: {
        kind: 'enter' as const,
        geofenceId: 'g1',
        geofenceName: 'Kamppi',
        vehicleId: `0022/0000${i}`,
        operatorId: '0022',
        line: '64',
        time: i,
      },
    });
    for (let i = 0; i < 5; i++) handleServerMessage(event(i), ctx, 1000 + i);
    expect(ctx.ui.getState().toasts.map((t) => t.text)).toEqual([
      'Line 64 (0022/00000) entered Kamppi',
      'Line 64 (0022/00001) entered Kamppi',
    ]);
    handleServerMessage(event(9), ctx, 10_000);
    const texts = ctx.ui.getState().toasts.map((t) => t.text);
    expect(texts).toContain('+3 more zone events');
    expect(texts.at(-1)).toBe('Line 64 (0022/00009) entered Kamppi');
  });

  it('protocol handling: an undecodable frame is a WEB_FRAME_INVALID error', () => {
    expect(() => decodeFrame('{not json')).toThrow(WebError);
    try {
      decodeFrame(42);
    } catch (err) {
      expect((err as WebError).code).toBe('WEB_FRAME_INVALID');
    }
  });
});
