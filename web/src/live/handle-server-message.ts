/**
 * What the client does with each server message. Vehicle data goes to the buffer (applied on the next
 * flush), everything else updates UI state. Geofence toasts are rate-limited so a busy zone does not
 * flood the screen: refused ones are summarised in one "+N more" toast.
 */
import { decodeServerMessage, type Frame, PROTOCOL_VERSION, type ServerMessage } from '@realtimemap/shared';
import type { UiStore } from '../state/ui-store.ts';
import { WebError } from './errors.ts';
import type { MessageBuffer } from './message-buffer.ts';
import type { RateLimiter } from './rate-limiter.ts';

export interface MessageContext {
  readonly buffer: MessageBuffer;
  readonly ui: UiStore;
  readonly toastLimiter: RateLimiter;
  /** Called with geofence events (the organization panel refreshes on them). */
  readonly onGeofence?: () => void;
}

/** WebSocket data (text or binary) to a message; throws WebError on a frame that does not decode. */
export function decodeFrame(data: unknown): ServerMessage {
  let frame: Frame;
  if (typeof data === 'string') frame = data;
  else if (data instanceof ArrayBuffer || data instanceof Uint8Array) frame = data;
  else throw new WebError('WEB_FRAME_INVALID', 'unsupported WebSocket frame type');
  try {
    const message = decodeServerMessage(frame);
    if (!message || typeof message !== 'object' || typeof message.type !== 'string') {
      throw new WebError('WEB_FRAME_INVALID', 'frame has no message type');
    }
    return message;
  } catch (err) {
    if (err instanceof WebError) throw err;
    throw new WebError('WEB_FRAME_INVALID', 'frame does not decode', { cause: err });
  }
}

export function handleServerMessage(message: ServerMessage, ctx: MessageContext, now: number): void {
  const ui = ctx.ui.getState();
  switch (message.type) {
    case 'hello':
      if (message.protocol !== PROTOCOL_VERSION) {
        ui.pushToast(
          `Server speaks protocol ${message.protocol}, this page ${PROTOCOL_VERSION}: reload`,
          'info',
          now,
        );
      }
      ctx.ui.setState({ feedMode: message.feedMode });
      return;
    case 'snapshot':
    case 'batch':
      ctx.buffer.push(message);
      return;
    case 'status':
      ctx.ui.setState({ feedMode: message.feedMode, totalVehicles: message.vehicles });
      return;
    case 'geofence': {
      ctx.onGeofence?.();
      if (ctx.toastLimiter.tryAccept(now)) {
        const suppressed = ctx.toastLimiter.takeSuppressed();
        if (suppressed > 0) ui.pushToast(`+${suppressed} more zone events`, 'info', now);
        ui.geofenceToast(message.event, now);
      }
      return;
    }
    case 'pong':
      return;
    case 'error':
      ui.pushToast(`Server: ${message.message} (${message.code})`, 'info', now);
      return;
  }
}
