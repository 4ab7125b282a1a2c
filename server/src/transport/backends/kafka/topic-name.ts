/**
 * Portable topics are `.`-separated segments, which Kafka topic names accept as they are; this only
 * checks what Kafka forbids. Wildcards are refused: kafkajs resolves a pattern once, at subscribe
 * time, so topics created later would silently be missed.
 */
import { InvalidOptionError, isPattern, UnsupportedError } from '../../internal.ts';

const LEGAL = /^[A-Za-z0-9._-]+$/;
/** Kafka's limit (249) minus room for the `.dlq` suffix of dead-letter topics. */
const MAX_LENGTH = 245;

/** Why `topic` cannot be a Kafka topic, or undefined when it can. Pure. */
export function kafkaTopicProblem(topic: string): string | undefined {
  if (topic.length === 0) return 'topic is empty';
  if (topic === '.' || topic === '..') return `topic "${topic}" is reserved by Kafka`;
  if (topic.length > MAX_LENGTH) return `topic is longer than ${MAX_LENGTH} characters`;
  if (!LEGAL.test(topic)) return `topic "${topic}" may only contain letters, digits, ".", "_" and "-"`;
  return undefined;
}

/** Throws the typed error for a topic the Kafka backend cannot use. */
export function assertKafkaTopic(topic: string): void {
  if (isPattern(topic)) throw new UnsupportedError('kafka', `topic wildcards ("${topic}")`);
  const problem = kafkaTopicProblem(topic);
  if (problem) throw new InvalidOptionError(`kafka: ${problem}`);
}
