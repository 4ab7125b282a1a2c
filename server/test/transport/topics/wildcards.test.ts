import { describe, expect, it } from 'vitest';
import {
  compileMatcher,
  fromMqttTopic,
  isPattern,
  matchTopic,
  patternProblem,
  toAmqpBindingKey,
  toKafkaRegExp,
  toMqttFilter,
  toNatsSubject,
  toRedisGlob,
} from '../../../src/transport/topics/wildcards.ts';

describe('wildcards', () => {
  it('wildcards: * matches exactly one segment', () => {
    expect(matchTopic('a.*.c', 'a.b.c')).toBe(true);
    expect(matchTopic('a.*.c', 'a.b.x.c')).toBe(false);
    expect(matchTopic('a.*', 'a')).toBe(false);
  });

  it('wildcards: > matches one or more trailing segments', () => {
    const m = compileMatcher('a.>');
    expect(m('a.b')).toBe(true);
    expect(m('a.b.c.d')).toBe(true);
    expect(m('a')).toBe(false);
    expect(m('b.c')).toBe(false);
  });

  it('wildcards: literal patterns compare equal, partial-segment stars are literal', () => {
    expect(matchTopic('a.b', 'a.b')).toBe(true);
    expect(matchTopic('a.b', 'a.bb')).toBe(false);
    expect(isPattern('a.b*')).toBe(false);
    expect(matchTopic('a.b*', 'a.bc')).toBe(false);
  });

  it('wildcards: problems are reported, valid patterns pass', () => {
    expect(patternProblem('')).toMatch(/empty/);
    expect(patternProblem('a..b')).toMatch(/empty segment/);
    expect(patternProblem('a.>.b')).toMatch(/last segment/);
    expect(patternProblem('a.*.>')).toBeUndefined();
  });

  it('wildcards: mapped to each backend syntax', () => {
    expect(toMqttFilter('hfp.*.vp.>')).toBe('hfp/+/vp/#');
    expect(fromMqttTopic('hfp/v2/vp')).toBe('hfp.v2.vp');
    expect(toNatsSubject('a.*.>')).toBe('a.*.>');
    expect(toAmqpBindingKey('a.*.>')).toBe('a.*.#');
    expect(toRedisGlob('a.*.>')).toBe('a.*.*');
    expect(toRedisGlob('a?.b')).toBe('a\\?.b');
    const re = toKafkaRegExp('rtm.*.pos');
    expect(re.test('rtm.bus.pos')).toBe(true);
    expect(re.test('rtm.bus.x.pos')).toBe(false);
    expect(re.test('rtmXbus.pos')).toBe(false);
    expect(toKafkaRegExp('rtm.>').test('rtm.a.b')).toBe(true);
  });
});
