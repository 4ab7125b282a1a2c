/**
 * Portable topic wildcards, NATS-style: topics are `.`-separated segments; in a subscription pattern a
 * whole segment `*` matches exactly one segment and a final `>` matches one or more trailing segments.
 * Each backend maps a pattern to its own syntax with the functions below (or matches locally).
 */

export const SEPARATOR = '.';
export const ONE = '*';
export const REST = '>';

/** True when `pattern` contains a wildcard segment. */
export function isPattern(pattern: string): boolean {
  return pattern.split(SEPARATOR).some((s) => s === ONE || s === REST);
}

/** Why `pattern` is not a valid topic or pattern, or undefined when it is. Pure. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'topic is empty';
  const segments = pattern.split(SEPARATOR);
  if (segments.some((s) => s.length === 0)) return `topic "${pattern}" has an empty segment`;
  const rest = segments.indexOf(REST);
  if (rest !== -1 && rest !== segments.length - 1)
    return `"${REST}" must be the last segment of "${pattern}"`;
  return undefined;
}

/** Compiles `pattern` into a predicate over concrete topics (literal patterns compare equal). */
export function compileMatcher(pattern: string): (topic: string) => boolean {
  if (!isPattern(pattern)) return (topic) => topic === pattern;
  const want = pattern.split(SEPARATOR);
  const tail = want[want.length - 1] === REST;
  const fixed = tail ? want.length - 1 : want.length;
  return (topic) => {
    const got = topic.split(SEPARATOR);
    if (tail ? got.length <= fixed : got.length !== fixed) return false;
    for (let i = 0; i < fixed; i++) {
      if (want[i] !== ONE && want[i] !== got[i]) return false;
    }
    return true;
  };
}

export function matchTopic(pattern: string, topic: string): boolean {
  return compileMatcher(pattern)(topic);
}

/** MQTT: `/` separators, `+` one level, `#` the rest. Applies to topics and filters alike. */
export function toMqttFilter(pattern: string): string {
  return pattern
    .split(SEPARATOR)
    .map((s) => (s === ONE ? '+' : s === REST ? '#' : s))
    .join('/');
}

/** The portable topic for an MQTT topic name received from the server. */
export function fromMqttTopic(topic: string): string {
  return topic.split('/').join(SEPARATOR);
}

/** NATS subjects use the portable syntax natively. */
export function toNatsSubject(pattern: string): string {
  return pattern;
}

/** AMQP 0-9-1 topic exchange binding key: `*` one word, `#` zero or more words (a superset of `>`). */
export function toAmqpBindingKey(pattern: string): string {
  return pattern
    .split(SEPARATOR)
    .map((s) => (s === REST ? '#' : s))
    .join(SEPARATOR);
}

/**
 * A Redis PSUBSCRIBE / SCAN glob that selects a superset of the pattern's topics (a glob `*` also
 * crosses `.`): filter what arrives with compileMatcher(pattern).
 */
export function toRedisGlob(pattern: string): string {
  return pattern
    .split(SEPARATOR)
    .map((s) => (s === ONE || s === REST ? '*' : s.replace(/[*?[\]\\]/g, '\\$&')))
    .join(SEPARATOR);
}

/** A RegExp for Kafka pattern subscriptions (`*` = `[^.]+`, `>` = `.+`), anchored. */
export function toKafkaRegExp(pattern: string): RegExp {
  const body = pattern
    .split(SEPARATOR)
    .map((s) => (s === ONE ? '[^.]+' : s === REST ? '.+' : s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('\\.');
  return new RegExp(`^${body}$`);
}
