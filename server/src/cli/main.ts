/**
 * The command line: `realtimemap [start|ingest|gateway|sim|record|replay] [--flags]`. Reads the
 * configuration once, logs it, runs the role until SIGINT/SIGTERM, then stops cleanly.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { ConfigError } from '../config/errors.ts';
import { feedModeOf } from '../config/feed-spec.ts';
import { type Config, describeConfig, helpText, loadConfig } from '../config/load-config.ts';
import { App } from '../transport/app/app.ts';
import { serversForRole } from './roles.ts';

export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\nrealtimemap --help lists every flag.\n`);
      return 2;
    }
    throw error;
  }
  if (config.role === 'help') {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  const logger = pino({ level: config.logLevel, base: { role: config.role } });
  logger.info(
    { config: describeConfig(config), feedMode: feedModeOf(config.feed), feed: config.feed },
    'configuration',
  );
  const servers = await serversForRole(config, logger);
  // The App starts servers in order and stops them in reverse on SIGINT/SIGTERM.
  const app = new App({ servers, logger });
  await app.start();
  logger.info('started');
  await app.stopped;
  logger.info('stopped');
  return 0;
}

const isEntry =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isEntry) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `realtimemap: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
