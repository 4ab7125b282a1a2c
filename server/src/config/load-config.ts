/**
 * The only reader of flags and process.env. Every option is validated; all problems are reported
 * together (ConfigError), each naming its flag and environment variable. The result is frozen.
 */
import { ConfigError } from './errors.ts';
import { type FeedSpec, parseFeedSpec } from './feed-spec.ts';
import { OPTIONS, type OptionKey } from './options.ts';
import { parseArgs } from './parse-args.ts';

export const ROLES = ['start', 'ingest', 'gateway', 'sim', 'record', 'replay', 'help'] as const;
export type Role = (typeof ROLES)[number];

type Raw = { [K in OptionKey]: ReturnType<(typeof OPTIONS)[K]['schema']['parse']> };

export interface Config extends Omit<Raw, 'feed' | 'styleUrl' | 'center' | 'origins'> {
  readonly role: Role;
  readonly feed: FeedSpec;
  /** null = the built-in offline style. */
  readonly styleUrl: string | null;
  readonly center: readonly [lon: number, lat: number];
  readonly origins: readonly string[];
}

export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Config {
  const known = new Set(Object.values(OPTIONS).map((o) => o.flag));
  known.add('help');
  const { command, flags, problems: argProblems } = parseArgs(argv, known, new Set(['help']));
  const problems = [...argProblems];
  const role = (flags.help ? 'help' : (command ?? 'start')) as Role;
  if (!ROLES.includes(role)) problems.push(`unknown command "${command}" (one of ${ROLES.join(', ')})`);

  const raw: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(OPTIONS)) {
    const fromFlag = flags[spec.flag];
    const input = fromFlag ?? (env[spec.env] === '' ? undefined : env[spec.env]);
    const result = spec.schema.safeParse(input);
    if (result.success) raw[key] = result.data;
    else {
      const where = fromFlag !== undefined ? `--${spec.flag}` : spec.env;
      const why = result.error.issues.map((i) => i.message).join(', ');
      problems.push(`${where}=${JSON.stringify(input)}: ${why} (flag --${spec.flag}, env ${spec.env})`);
    }
  }
  const r = raw as Raw;

  let feed: FeedSpec = { kind: 'sim' };
  if (typeof r.feed === 'string') {
    const parsed = parseFeedSpec(r.feed);
    if ('error' in parsed) problems.push(`--feed / RTM_FEED=${JSON.stringify(r.feed)}: ${parsed.error}`);
    else feed = parsed;
  }
  if (typeof r.staleMs === 'number' && typeof r.removeMs === 'number' && r.removeMs <= r.staleMs) {
    problems.push(
      `--remove-ms / RTM_REMOVE_MS (${r.removeMs}) must be greater than --stale-ms (${r.staleMs})`,
    );
  }
  if (role === 'replay' && !r.file && feed.kind !== 'replay') {
    problems.push('replay needs --file <capture> (env RTM_REPLAY_FILE)');
  }
  if (role === 'record' && !r.out) problems.push('record needs --out <file> (env RTM_RECORD_OUT)');
  if (r.broker === 'memory' && (role === 'ingest' || role === 'gateway')) {
    problems.push(
      `--broker / RTM_BROKER: the ${role} role needs a shared backend (mqtt, kafka, nats, redis, rabbitmq)`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const [lon, lat] = (r.center as string).split(',').map(Number) as [number, number];
  return Object.freeze({
    ...r,
    role,
    feed,
    styleUrl: r.styleUrl === 'offline' ? null : (r.styleUrl as string),
    center: Object.freeze([lon, lat] as const),
    origins: Object.freeze(
      (r.origins as string)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  });
}

/** The effective configuration as logged at start. */
export function describeConfig(config: Config): Record<string, unknown> {
  return { ...config };
}

export function helpText(): string {
  const lines = [
    'usage: realtimemap [start|ingest|gateway|sim|record|replay] [--flag value ...]',
    '',
    'Every flag has an environment variable; the flag wins.',
    '',
  ];
  for (const spec of Object.values(OPTIONS)) {
    lines.push(`  --${spec.flag.padEnd(18)} ${spec.env.padEnd(24)} ${spec.description}`);
  }
  return lines.join('\n');
}
