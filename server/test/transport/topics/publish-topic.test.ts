/** Publish topics: a wildcard or malformed topic is refused with a reason; the cache gives the same answers. */
import { describe, expect, it } from 'vitest';
import { PublishTopicCheck, publishTopicProblem } from '../../../src/transport/topics/publish-topic.ts';

describe('topics: publish topic check', () => {
  it('topics: concrete topics are publishable; patterns and malformed topics are not', () => {
    expect(publishTopicProblem('vehicle.positions.bus')).toBeUndefined();
    expect(publishTopicProblem('vehicle.*.bus')).toBe('cannot publish to a wildcard pattern');
    expect(publishTopicProblem('vehicle.>')).toBe('cannot publish to a wildcard pattern');
    expect(publishTopicProblem('')).toBe('topic is empty');
    expect(publishTopicProblem('a..b')).toContain('empty segment');
  });

  it('topics: the cached check answers as the function does, on first and repeated calls', () => {
    const check = new PublishTopicCheck();
    for (const topic of ['a.b', 'a.*', '', 'a.b', 'a.*', '']) {
      expect(check.problem(topic)).toBe(publishTopicProblem(topic));
    }
  });

  it('topics: the cache stays right past its bound (it forgets and starts again)', () => {
    const check = new PublishTopicCheck();
    for (let i = 0; i < 2_100; i++) expect(check.problem(`t.${i}`)).toBeUndefined();
    expect(check.problem('t.*')).toBe('cannot publish to a wildcard pattern');
    expect(check.problem('t.0')).toBeUndefined();
  });
});
