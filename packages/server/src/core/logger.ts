/**
 * Where the server writes what an operator needs to see: the subset of pino's interface it uses,
 * so a pino logger (or any logger with the same methods) can be passed as it is.
 */
export interface Logger {
  error(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  /** Routine entries, such as `logCalls`' line per call; a logger for failures alone may leave it out. */
  info?(object: object, message?: string): void;
}

/** The default: one line per entry on stderr (stdout for `info`), with the stack of an error. */
export const consoleLogger: Required<Logger> = {
  error: (object, message) => console.error(`marshal: ${message ?? ''}`, ...describe(object)),
  warn: (object, message) => console.warn(`marshal: ${message ?? ''}`, ...describe(object)),
  info: (object, message) => console.info(`marshal: ${message ?? ''}`, ...describe(object)),
};

/**
 * The entry's fields, and the `err` among them as its stack when it has one, so a console line
 * shows where it came from.
 */
function describe(object: object): unknown[] {
  const { err, ...fields } = object as { err?: unknown };
  if (err === undefined) return [object];
  let shown: unknown;
  try {
    shown = err instanceof Error ? err.stack ?? String(err) : err;
  } catch {
    shown = '(an error that cannot be shown)';
  }
  return Object.keys(fields).length === 0 ? [shown] : [fields, shown];
}
