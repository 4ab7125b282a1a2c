import { isPattern, patternProblem } from './wildcards.ts';

/** Why `topic` cannot be published to (not a valid topic, or a wildcard pattern), or undefined. Pure. */
export function publishTopicProblem(topic: string): string | undefined {
  return patternProblem(topic) ?? (isPattern(topic) ? 'cannot publish to a wildcard pattern' : undefined);
}

/**
 * publishTopicProblem() remembered per topic: publishes repeat a few topics, and validating one per
 * message is waste. Bounded: forgets everything once it holds 1,024 topics.
 */
export class PublishTopicCheck {
  /** '' = publishable. */
  readonly #problems = new Map<string, string>();

  problem(topic: string): string | undefined {
    let problem = this.#problems.get(topic);
    if (problem === undefined) {
      problem = publishTopicProblem(topic) ?? '';
      if (this.#problems.size >= 1_024) this.#problems.clear();
      this.#problems.set(topic, problem);
    }
    return problem || undefined;
  }
}
