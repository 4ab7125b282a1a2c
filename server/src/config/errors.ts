/** The config area's error catalogue (CONFIG_*). */
export class ConfigError extends Error {
  readonly code: string;
  /** Every problem found, each naming its flag and environment variable. */
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.code = 'CONFIG_INVALID';
    this.problems = problems;
  }
}
