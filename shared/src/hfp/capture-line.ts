import { HfpCaptureFormatError } from './errors.ts';

/**
 * The `.hfp` capture format: one message a line, `<receive time ISO-8601> <MQTT topic> <JSON payload>`.
 * Topics may contain spaces (headsigns), so a line splits on its first space, then on the first ` {`.
 */
export interface CaptureLine {
  /** When the message was received, ms since the epoch. */
  readonly receivedAt: number;
  readonly topic: string;
  readonly payload: string;
}

/** One line (with or without its line break) -> its parts, or null for a blank, comment or malformed line. */
export function parseCaptureLine(line: string): CaptureLine | null {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 10 || line.charCodeAt(end - 1) === 13)) end--;
  const space = line.indexOf(' ');
  if (space <= 0 || space >= end) return null;
  const brace = line.indexOf(' {', space + 1);
  if (brace < 0 || brace >= end || brace === space) return null;
  // Date.parse takes the captures' microsecond fractions (2023-10-30T04:31:52.516885Z).
  const receivedAt = Date.parse(line.slice(0, space));
  if (Number.isNaN(receivedAt)) return null;
  const topic = line.slice(space + 1, brace);
  if (topic.length === 0) return null;
  return { receivedAt, topic, payload: line.slice(brace + 1, end) };
}

/** The capture line (without line break) for one message. Throws HfpCaptureFormatError if it can't be one. */
export function formatCaptureLine(receivedAt: number, topic: string, payload: string): string {
  if (!Number.isFinite(receivedAt))
    throw new HfpCaptureFormatError(`receive time ${receivedAt} is not a time`);
  if (topic.length === 0 || topic.includes(' {') || /[\r\n]/.test(topic))
    throw new HfpCaptureFormatError('topic is empty or holds a line break or " {"');
  if (!payload.startsWith('{') || /[\r\n]/.test(payload))
    throw new HfpCaptureFormatError('payload must be one-line JSON starting with "{"');
  return `${new Date(receivedAt).toISOString()} ${topic} ${payload}`;
}
