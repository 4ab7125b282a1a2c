/**
 * Option parsing for the example programs: node's parseArgs for the syntax, a zod schema for the
 * values. Every problem is reported at once; bad input exits with code 2 and a usage hint.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { z } from 'zod';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export class UsageError extends Error {
  readonly code = 'EXAMPLE_USAGE';
}

/** Parses argv against `spec` and validates with `schema`; throws UsageError listing every problem. */
export function parseOptions<S extends z.ZodTypeAny>(
  argv: readonly string[],
  spec: OptionSpec,
  schema: S,
): z.infer<S> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...argv], options: spec, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const result = schema.safeParse(values);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`);
    throw new UsageError(problems.join('; '));
  }
  return result.data;
}

/**
 * Runs a program's main: options problems exit 2 with the usage text, other failures exit 1.
 * The one place an example sets process.exitCode, so every program ends the same way.
 */
export function runMain(usage: string, main: () => Promise<void>): void {
  main().then(
    () => {
      process.exitCode ??= 0;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`error: ${error.message}\n\n${usage}\n`);
        process.exitCode = 2;
        return;
      }
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
