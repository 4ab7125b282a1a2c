import { describe, expect, it } from 'vitest';
import { formatCaptureLine, HfpCaptureFormatError, parseCaptureLine } from '../../src/hfp/index.ts';

const TOPIC =
  '/hfp/v2/journey/ongoing/vp/bus/0018/00679/1064/1/Itä-Pakila via Oulunkylä/21:12/1353117/5/60;24/29/56/12';
const PAYLOAD = '{"VP":{"veh":679,"lat":60.251226,"long":24.962006}}';

describe('hfp capture line', () => {
  it('hfp capture line: splits on the first space, then the first " {"', () => {
    const line = `2023-10-29T19:48:21.881287Z ${TOPIC} ${PAYLOAD}`;
    expect(parseCaptureLine(line)).toEqual({
      receivedAt: Date.UTC(2023, 9, 29, 19, 48, 21, 881),
      topic: TOPIC,
      payload: PAYLOAD,
    });
  });

  it('hfp capture line: tolerates CRLF and a trailing newline', () => {
    expect(parseCaptureLine(`2023-10-29T19:48:21Z ${TOPIC} ${PAYLOAD}\r\n`)?.payload).toBe(PAYLOAD);
  });

  it('hfp capture line: blank and malformed lines are null', () => {
    for (const l of [
      '',
      '\n',
      'garbage',
      `notatime ${TOPIC} ${PAYLOAD}`,
      `2023-10-29T19:48:21Z ${TOPIC}`,
      `2023-10-29T19:48:21Z  {}`,
    ]) {
      expect(parseCaptureLine(l), l).toBeNull();
    }
  });

  it('hfp capture line: format and parse round-trip', () => {
    const at = Date.UTC(2024, 4, 13, 5, 49, 3, 211);
    const line = formatCaptureLine(at, TOPIC, PAYLOAD);
    expect(line).toBe(`2024-05-13T05:49:03.211Z ${TOPIC} ${PAYLOAD}`);
    expect(parseCaptureLine(line)).toEqual({ receivedAt: at, topic: TOPIC, payload: PAYLOAD });
  });

  it('hfp capture line: refuses what the format cannot hold', () => {
    expect(() => formatCaptureLine(0, 'a {b', PAYLOAD)).toThrow(HfpCaptureFormatError);
    expect(() => formatCaptureLine(0, TOPIC, '{"VP":\n{}}')).toThrow(HfpCaptureFormatError);
    expect(() => formatCaptureLine(0, TOPIC, '[1]')).toThrow(HfpCaptureFormatError);
    expect(() => formatCaptureLine(Number.NaN, TOPIC, PAYLOAD)).toThrow(HfpCaptureFormatError);
  });
});
