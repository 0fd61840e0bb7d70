/**
 * Where the server writes what an operator needs to see: the subset of pino's interface it uses,
 * so a pino logger (or any logger with the same methods) can be passed as it is.
 */
export interface Logger {
  error(object: object, message?: string): void;
  warn(object: object, message?: string): void;
}

/** The default: one line per entry on stderr, with the stack of an error. */
export const consoleLogger: Logger = {
  error: (object, message) => console.error(`marshal: ${message ?? ''}`, describe(object)),
  warn: (object, message) => console.warn(`marshal: ${message ?? ''}`, describe(object)),
};

/** The `err` of an entry as its stack, when it has one, so a console line shows where it came from. */
function describe(object: object): unknown {
  const { err } = object as { err?: unknown };
  if (err === undefined) return object;
  try {
    return err instanceof Error ? err.stack ?? String(err) : err;
  } catch {
    return '(an error that cannot be shown)';
  }
}
