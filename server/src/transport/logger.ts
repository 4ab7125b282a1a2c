/** The logger the transport layer writes to: a pino logger fits as is. Passed in; silent by default. */
export interface TransportLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = () => {};

export const silentLogger: TransportLogger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
});
