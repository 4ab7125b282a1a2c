/**
 * Command line -> role + raw flag values. `--name value`, `--name=value`, and bare `--name` (= "true").
 * Pure: unknown flags and stray words are returned as problems, not thrown.
 */
export interface ParsedArgs {
  readonly command: string | undefined;
  readonly flags: Readonly<Record<string, string>>;
  readonly problems: readonly string[];
}

export function parseArgs(
  argv: readonly string[],
  known: ReadonlySet<string>,
  booleans: ReadonlySet<string>,
): ParsedArgs {
  const flags: Record<string, string> = {};
  const problems: string[] = [];
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      if (command === undefined && i === 0) command = arg;
      else problems.push(`unexpected argument "${arg}"`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (!known.has(name)) {
      problems.push(`unknown flag --${name}`);
      continue;
    }
    if (eq >= 0) flags[name] = arg.slice(eq + 1);
    else if (booleans.has(name)) flags[name] = 'true';
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) flags[name] = argv[++i]!;
    else problems.push(`--${name} needs a value`);
  }
  return { command, flags, problems };
}
