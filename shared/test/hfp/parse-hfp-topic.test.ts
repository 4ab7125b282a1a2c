import { describe, expect, it } from 'vitest';
import { decodeHfpGeohash, HFP_EVENT_TYPES, parseHfpTopic } from '../../src/hfp/index.ts';
import { TRANSPORT_MODES } from '../../src/position.ts';
import { topicWith, VP_TOPIC } from './fixtures.ts';

function ok(topic: string) {
  const r = parseHfpTopic(topic);
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}: ${r.detail}`);
  return r.value;
}

function reason(topic: string) {
  const r = parseHfpTopic(topic);
  return r.ok ? 'ok' : r.reason;
}

describe('hfp topic', () => {
  it('hfp topic: every level of a journey topic', () => {
    expect(ok(VP_TOPIC)).toEqual({
      prefix: 'hfp',
      version: 'v2',
      journeyType: 'journey',
      temporalType: 'ongoing',
      eventType: 'vp',
      mode: 'bus',
      transportMode: 'bus',
      operatorId: '0018',
      vehicleNumber: '00678',
      vehicleId: '0018/00678',
      routeId: '1065',
      direction: 2,
      headsign: 'Rautatientori',
      startTime: '06:05',
      nextStop: '1020201',
      geohashLevel: 4,
      geohash: '60;24/19/74/38',
    });
  });

  it('hfp topic: deadrun topics end after the vehicle number', () => {
    const t = ok('/hfp/v2/deadrun/ongoing/vp/bus/0018/00678');
    expect(t.journeyType).toBe('deadrun');
    expect(t.vehicleNumber).toBe('00678');
    expect([t.routeId, t.direction, t.headsign, t.startTime, t.nextStop, t.geohashLevel, t.geohash]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(ok('/hfp/v2/deadrun/ongoing/vp/bus/0018/00678/').vehicleNumber).toBe('00678');
  });

  it('hfp topic: signoff and upcoming', () => {
    expect(ok('/hfp/v2/signoff/ongoing/vjout/tram/0040/00431').journeyType).toBe('signoff');
    expect(ok(topicWith(3, 'upcoming')).temporalType).toBe('upcoming');
  });

  it('hfp topic: all 18 event types', () => {
    expect(HFP_EVENT_TYPES).toHaveLength(18);
    for (const e of HFP_EVENT_TYPES) expect(ok(topicWith(4, e)).eventType).toBe(e);
    expect(reason(topicWith(4, 'apc'))).toBe('unknown_event');
    expect(reason(topicWith(4, 'VP'))).toBe('unknown_event');
  });

  it('hfp topic: every transport mode and the empty one', () => {
    for (const m of TRANSPORT_MODES.filter((x) => x !== 'unknown')) {
      const t = ok(topicWith(5, m));
      expect([t.mode, t.transportMode]).toEqual([m, m]);
    }
    const empty = ok(topicWith(5, ''));
    expect([empty.mode, empty.transportMode]).toEqual(['unknown', '']);
    expect(ok(topicWith(5, 'hovercraft')).mode).toBe('unknown');
  });

  it('hfp topic: operator and vehicle number keep their zero padding', () => {
    const t = ok('/hfp/v2/journey/ongoing/vp/tram/0040/00007/1006/1/Eira/10:00/1130446/5/60;24/16/93/58');
    expect([t.operatorId, t.vehicleNumber]).toEqual(['0040', '00007']);
    expect(reason(topicWith(6, 'HSL'))).toBe('bad_topic');
    expect(reason(topicWith(7, ''))).toBe('bad_topic');
    expect(reason(topicWith(7, '12a'))).toBe('bad_topic');
  });

  it('hfp topic: headsign in UTF-8 with spaces', () => {
    expect(ok(topicWith(10, 'Itä-Pakila')).headsign).toBe('Itä-Pakila');
    expect(ok(topicWith(10, 'Rautatientori via Kamppi (M)')).headsign).toBe('Rautatientori via Kamppi (M)');
    expect(ok(topicWith(10, 'Östersundom')).headsign).toBe('Östersundom');
    expect(ok(topicWith(10, '')).headsign).toBeNull();
  });

  it('hfp topic: direction, start time and route', () => {
    expect(ok(topicWith(9, '1')).direction).toBe(1);
    expect(ok(topicWith(9, '')).direction).toBeNull();
    expect(ok(topicWith(9, '3')).direction).toBeNull();
    expect(ok(topicWith(11, '7:20')).startTime).toBe('7:20');
    expect(ok(topicWith(8, '31M1')).routeId).toBe('31M1');
    expect(ok(topicWith(8, '')).routeId).toBeNull();
  });

  it('hfp topic: next stop as id, EOL or empty', () => {
    expect(ok(topicWith(12, '1130106')).nextStop).toBe('1130106');
    expect(ok(topicWith(12, 'EOL')).nextStop).toBe('EOL');
    expect(ok(topicWith(12, '')).nextStop).toBeNull();
  });

  it('hfp topic: geohash level and geohash, including 0//// for no position', () => {
    const none = ok('/hfp/v2/journey/ongoing/vp/bus/0012/01215/1059/1/Kamppi/10:00/EOL/0////');
    expect([none.geohashLevel, none.geohash]).toEqual([0, null]);
    expect(ok(topicWith(13, '5')).geohashLevel).toBe(5);
    expect(ok(topicWith(13, '')).geohashLevel).toBeNull();
    const coarse = ok('/hfp/v2/journey/ongoing/vp/bus/0012/01215/1059/1/Kamppi/10:00/EOL/0/60;24');
    expect(coarse.geohash).toBe('60;24');
    expect(decodeHfpGeohash(coarse.geohash!)).toEqual([60, 24]);
    // Kept as sent; the decoder is what judges it.
    const bad = ok('/hfp/v2/journey/ongoing/vp/bus/0012/01215/1059/1/Kamppi/10:00/EOL/0/x;y/19/74/38');
    expect(bad.geohash).toBe('x;y/19/74/38');
    expect(decodeHfpGeohash(bad.geohash!)).toBeNull();
  });

  it('hfp topic: extra trailing levels are ignored', () => {
    const t = ok(`${VP_TOPIC}/1234/extra`);
    expect(t.geohash).toBe('60;24/19/74/38');
  });

  it('hfp topic: prefix, version and leading slash', () => {
    expect(ok(VP_TOPIC.slice(1)).prefix).toBe('hfp');
    expect(ok(`/mirror${VP_TOPIC}`).prefix).toBe('mirror/hfp');
    expect(reason(topicWith(1, 'v1'))).toBe('bad_topic');
    expect(reason(topicWith(1, 'x2'))).toBe('bad_topic');
    expect(reason('//v2/journey/ongoing/vp/bus/0018/00678')).toBe('bad_topic');
  });

  it('hfp topic: unknown journey or temporal type and cut-short topics are bad', () => {
    expect(reason(topicWith(2, 'trip'))).toBe('bad_topic');
    expect(reason(topicWith(3, 'later'))).toBe('bad_topic');
    expect(reason('/hfp/v2/journey/ongoing/vp/bus/0018')).toBe('bad_topic');
    expect(reason('/hfp/v2/journey/ongoing/vp/bus/0018/00678/1065/2/Rautatientori')).toBe('bad_topic');
    expect(reason('')).toBe('bad_topic');
    expect(reason('/')).toBe('bad_topic');
    expect(reason(42 as unknown as string)).toBe('bad_topic');
  });
});
