import { describe, expect, it } from 'vitest';
import {
  HFP_REJECT_REASONS,
  HfpRejectedError,
  normalizeHfp,
  parseHfp,
  parseHfpOrThrow,
  parseHfpPayload,
  parseHfpTopic,
} from '../../src/hfp/index.ts';
import { topicWith, VP_TOPIC, vpPayload } from './fixtures.ts';

function ok(topic: string, payload: string | Uint8Array) {
  const r = parseHfp(topic, payload);
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}: ${r.detail}`);
  return r;
}

function reason(topic: string, payload: string | Uint8Array) {
  const r = parseHfp(topic, payload);
  return r.ok ? 'ok' : r.reason;
}

describe('hfp parse', () => {
  it('hfp parse: a real VP message normalizes field by field', () => {
    const { value } = ok(VP_TOPIC, vpPayload());
    expect(value).toEqual({
      vehicleId: '0018/00678',
      operatorId: '0018',
      vehicleNumber: '00678',
      mode: 'bus',
      eventType: 'vp',
      journeyType: 'journey',
      routeId: '1065',
      line: '65',
      direction: 2,
      headsign: 'Rautatientori',
      startTime: '06:05',
      operatingDay: '2023-10-30',
      lat: 60.173036,
      lon: 24.948786,
      heading: 203,
      speed: 9,
      acceleration: 0.51,
      delay: -7,
      odometer: 8734,
      doorsOpen: false,
      occupancy: 0,
      eventTime: Date.UTC(2023, 9, 30, 4, 31, 53, 23),
      source: 'GPS',
      nextStop: '1020201',
      stop: null,
    });
  });

  it('hfp parse: the message keeps the checked topic and payload', () => {
    const { message } = ok(VP_TOPIC, vpPayload({ seq: 2, extra: 'ignored' }));
    expect(message.eventType).toBe('vp');
    expect(message.topic.geohash).toBe('60;24/19/74/38');
    expect(message.payload.oper).toBe(6);
    expect(message.payload.jrn).toBe(444);
    expect(message.payload.line).toBe(850);
    expect(message.payload.seq).toBe(2);
    expect(message.payload.tlp).toBeNull();
    expect(message.payload).not.toHaveProperty('extra');
  });

  it('hfp parse: the lazy message equals the eager parsers, and normalizeHfp agrees with parseHfp', () => {
    const variants = [
      {},
      { odo: 'n/a', hdg: 360, drst: null, stop: 1020201, oday: 'XXX' },
      { spd: '9', dir: 1, desi: 65, occu: 150, loc: 'N/A', tst: 'bad' },
      { dl: undefined, acc: undefined, start: undefined, route: 1065 },
    ];
    for (const changes of variants) {
      const payload = vpPayload(changes);
      const r = ok(VP_TOPIC, payload);
      const t = parseHfpTopic(VP_TOPIC);
      const p = parseHfpPayload(payload);
      if (!t.ok || !p.ok) throw new Error('eager parsers rejected a message parseHfp took');
      expect(r.message).toEqual({ topic: t.value, eventType: p.eventType, payload: p.payload });
      expect(r.message).toBe(r.message); // built once
      expect(normalizeHfp(t.value, p.payload)).toEqual({ ok: true, value: r.value });
    }
  });

  it('hfp parse: bytes are decoded as UTF-8', () => {
    const bytes = new TextEncoder().encode(vpPayload({ desi: 'Ä1' }));
    expect(ok(VP_TOPIC, bytes).value.line).toBe('Ä1');
  });

  it('hfp parse: delay is seconds late, the opposite sign of dl', () => {
    expect(ok(VP_TOPIC, vpPayload({ dl: -120 })).value.delay).toBe(120);
    expect(ok(VP_TOPIC, vpPayload({ dl: 45 })).value.delay).toBe(-45);
    expect(Object.is(ok(VP_TOPIC, vpPayload({ dl: 0 })).value.delay, 0)).toBe(true);
    expect(ok(VP_TOPIC, vpPayload({ dl: null })).value.delay).toBeNull();
  });

  it('hfp parse: heading 360 folds to 0, out-of-range headings are unknown', () => {
    expect(ok(VP_TOPIC, vpPayload({ hdg: 360 })).value.heading).toBe(0);
    expect(ok(VP_TOPIC, vpPayload({ hdg: 0 })).value.heading).toBe(0);
    expect(ok(VP_TOPIC, vpPayload({ hdg: 359 })).value.heading).toBe(359);
    expect(ok(VP_TOPIC, vpPayload({ hdg: -1 })).value.heading).toBeNull();
    expect(ok(VP_TOPIC, vpPayload({ hdg: 361 })).value.heading).toBeNull();
    expect(ok(VP_TOPIC, vpPayload({ hdg: null })).value.heading).toBeNull();
  });

  it('hfp parse: doors open from drst', () => {
    expect(ok(VP_TOPIC, vpPayload({ drst: 1 })).value.doorsOpen).toBe(true);
    expect(ok(VP_TOPIC, vpPayload({ drst: 0 })).value.doorsOpen).toBe(false);
    expect(ok(VP_TOPIC, vpPayload({ drst: null })).value.doorsOpen).toBeNull();
    expect(ok(VP_TOPIC, vpPayload({ drst: undefined })).value.doorsOpen).toBeNull();
  });

  it('hfp parse: odometer quirks', () => {
    expect(ok(VP_TOPIC, vpPayload({ odo: 2147483647 })).value.odometer).toBeNull();
    expect(ok(VP_TOPIC, vpPayload({ odo: 'n/a' })).value.odometer).toBeNull();
    expect(ok(VP_TOPIC, vpPayload({ odo: '1234' })).value.odometer).toBe(1234);
    expect(ok(VP_TOPIC, vpPayload({ odo: null })).value.odometer).toBeNull();
    expect(ok(VP_TOPIC, vpPayload({ odo: -5 })).value.odometer).toBeNull();
  });

  it('hfp parse: stop as number or string, oday XXX', () => {
    expect(ok(VP_TOPIC, vpPayload({ stop: 1020201 })).value.stop).toBe('1020201');
    expect(ok(VP_TOPIC, vpPayload({ stop: '1020201' })).value.stop).toBe('1020201');
    expect(ok(VP_TOPIC, vpPayload({ oday: 'XXX' })).value.operatingDay).toBeNull();
    expect(ok(VP_TOPIC, vpPayload({ oday: null })).value.operatingDay).toBeNull();
  });

  it('hfp parse: null, omitted and wrongly typed fields become null without rejecting', () => {
    const nulls = {
      desi: null,
      dir: null,
      spd: null,
      acc: null,
      occu: null,
      loc: null,
      oday: null,
      start: null,
    };
    const a = ok(VP_TOPIC, vpPayload(nulls)).value;
    const omitted = Object.fromEntries(Object.keys(nulls).map((k) => [k, undefined]));
    const b = ok(VP_TOPIC, vpPayload(omitted)).value;
    for (const v of [a, b]) {
      expect([v.line, v.speed, v.acceleration, v.occupancy, v.source, v.operatingDay]).toEqual([
        null,
        null,
        null,
        null,
        null,
        null,
      ]);
      expect(v.direction).toBe(2); // from the topic
      expect(v.startTime).toBe('06:05'); // from the topic
    }
    const c = ok(VP_TOPIC, vpPayload({ spd: '9', occu: true, loc: 7, acc: 'x' })).value;
    expect([c.speed, c.occupancy, c.source, c.acceleration]).toEqual([null, null, null, null]);
  });

  it('hfp parse: occupancy, speed and source ranges', () => {
    expect(ok(VP_TOPIC, vpPayload({ occu: 100 })).value.occupancy).toBe(100);
    expect(ok(VP_TOPIC, vpPayload({ occu: 101 })).value.occupancy).toBeNull();
    expect(ok(VP_TOPIC, vpPayload({ spd: -1 })).value.speed).toBeNull();
    for (const loc of ['GPS', 'ODO', 'MAN', 'DR', 'N/A'])
      expect(ok(VP_TOPIC, vpPayload({ loc })).value.source).toBe(loc);
    expect(ok(VP_TOPIC, vpPayload({ loc: 'GLONASS' })).value.source).toBeNull();
  });

  it('hfp parse: deadrun messages have no route even when the payload still names one', () => {
    const payload = vpPayload({
      desi: null,
      dir: null,
      oper: null,
      dl: null,
      oday: null,
      jrn: null,
      start: null,
    });
    const { value } = ok('/hfp/v2/deadrun/ongoing/vp/bus/0018/00678', payload);
    expect([value.journeyType, value.routeId, value.line, value.direction, value.headsign]).toEqual([
      'deadrun',
      null,
      null,
      null,
      null,
    ]);
    expect(value.vehicleId).toBe('0018/00678');
  });

  it('hfp parse: event time from tst, tsi only when tst is unusable', () => {
    expect(ok(VP_TOPIC, vpPayload({ tst: '2023-10-30T04:31:53Z' })).value.eventTime).toBe(1698640313000);
    expect(ok(VP_TOPIC, vpPayload({ tst: 'yesterday' })).value.eventTime).toBe(1698640313000);
    expect(ok(VP_TOPIC, vpPayload({ tst: undefined })).value.eventTime).toBe(1698640313000);
    expect(reason(VP_TOPIC, vpPayload({ tst: null, tsi: null }))).toBe('bad_timestamp');
    expect(reason(VP_TOPIC, vpPayload({ tst: '1970-01-01T00:00:00Z', tsi: 5 }))).toBe('bad_timestamp');
  });

  it('hfp parse: positions without usable coordinates are rejected', () => {
    expect(reason(VP_TOPIC, vpPayload({ lat: null, long: null }))).toBe('no_position');
    expect(reason(VP_TOPIC, vpPayload({ lat: undefined }))).toBe('no_position');
    expect(reason(VP_TOPIC, vpPayload({ lat: '60.1' }))).toBe('no_position');
    expect(reason(VP_TOPIC, vpPayload({ lat: 0, long: 0 }))).toBe('no_position');
    expect(reason(VP_TOPIC, vpPayload({ lat: 91 }))).toBe('coordinates_out_of_range');
    expect(reason(VP_TOPIC, vpPayload({ long: -180.5 }))).toBe('coordinates_out_of_range');
  });

  it('hfp parse: payload shape errors', () => {
    expect(reason(VP_TOPIC, '{"VP":')).toBe('bad_json');
    expect(reason(VP_TOPIC, '')).toBe('bad_json');
    expect(reason(VP_TOPIC, new Uint8Array([0xff, 0xfe]))).toBe('bad_json');
    expect(reason(VP_TOPIC, '[]')).toBe('bad_payload');
    expect(reason(VP_TOPIC, 'null')).toBe('bad_payload');
    expect(reason(VP_TOPIC, '{}')).toBe('bad_payload');
    expect(reason(VP_TOPIC, '{"VP":5}')).toBe('bad_payload');
    expect(reason(VP_TOPIC, `{"VP":{},"DUE":{}}`)).toBe('bad_payload');
    expect(reason(VP_TOPIC, vpPayload({}, 'APC'))).toBe('unknown_event');
    expect(reason(VP_TOPIC, vpPayload({}, 'vp'))).toBe('unknown_event');
    expect(reason(VP_TOPIC, vpPayload({}, 'DUE'))).toBe('event_mismatch');
    expect(reason(VP_TOPIC, `{"VP":${'{'.repeat(1)}"x":"${'a'.repeat(70_000)}"}}`)).toBe('payload_too_large');
    expect(reason(VP_TOPIC, 42 as unknown as string)).toBe('bad_json');
  });

  it('hfp parse: topic errors win over payload errors', () => {
    expect(reason(topicWith(1, 'v1'), 'not json')).toBe('bad_topic');
  });

  it('hfp parse: traffic-light fields on TLR and TLA', () => {
    const topic = topicWith(4, 'tlr');
    const payload = vpPayload(
      {
        'tlp-requestid': 34,
        'tlp-requesttype': 'NORMAL',
        'tlp-prioritylevel': 'normal',
        sid: 1234,
        'tlp-att-seq': 1,
      },
      'TLR',
    );
    const { message } = ok(topic, payload);
    expect(message.payload.tlp).toMatchObject({
      requestId: 34,
      requestType: 'NORMAL',
      priorityLevel: 'normal',
      sid: 1234,
      attemptSeq: 1,
      decision: null,
    });
  });

  it('hfp parse: every event type parses with its upper-case key', () => {
    for (const e of ['vp', 'due', 'arr', 'dep', 'ars', 'pde', 'pas', 'wait', 'doo', 'doc'] as const) {
      expect(ok(topicWith(4, e), vpPayload({}, e.toUpperCase())).value.eventType).toBe(e);
    }
    for (const e of ['tlr', 'tla', 'da', 'dout', 'ba', 'bout', 'vja', 'vjout'] as const) {
      expect(ok(topicWith(4, e), vpPayload({}, e.toUpperCase())).value.eventType).toBe(e);
    }
  });

  it('hfp parse: reasons are a stable, unique list', () => {
    expect(new Set(HFP_REJECT_REASONS).size).toBe(HFP_REJECT_REASONS.length);
    for (const r of HFP_REJECT_REASONS) expect(r).toMatch(/^[a-z_]+$/);
    expect(HFP_REJECT_REASONS).toContain('bad_topic');
    expect(HFP_REJECT_REASONS).toContain('bad_json');
  });

  it('hfp parse: parseHfpOrThrow throws a typed error with the reason', () => {
    expect(parseHfpOrThrow(VP_TOPIC, vpPayload()).vehicleId).toBe('0018/00678');
    try {
      parseHfpOrThrow(VP_TOPIC, 'nope');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HfpRejectedError);
      expect((e as HfpRejectedError).code).toBe('HFP_MESSAGE_REJECTED');
      expect((e as HfpRejectedError).reason).toBe('bad_json');
    }
  });
});
