/**
 * Encoding of protocol messages. Placeholder JSON encoding: the gateway work replaces the server ->
 * client encoding with a compact one behind these same four functions.
 */
import type { ClientMessage, ServerMessage } from './messages.ts';

export type Frame = string | Uint8Array;

export function encodeServerMessage(message: ServerMessage): Frame {
  return JSON.stringify(message);
}

export function decodeServerMessage(frame: Frame): ServerMessage {
  const text = typeof frame === 'string' ? frame : new TextDecoder().decode(frame);
  return JSON.parse(text) as ServerMessage;
}

export function encodeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}

export function decodeClientMessage(frame: Frame): ClientMessage {
  const text = typeof frame === 'string' ? frame : new TextDecoder().decode(frame);
  return JSON.parse(text) as ClientMessage;
}
