import { afterAll, beforeAll } from 'vitest';
import { Server, type ServerOptions } from '@marshal/server';

export interface LogEntry {
  readonly level: 'error' | 'warn';
  readonly object: object;
  readonly message: string | undefined;
}

/** A logger that keeps what it is given, for tests to read (and to keep the test output clean). */
export function collectingLogger(): { readonly entries: LogEntry[]; error(object: object, message?: string): void; warn(object: object, message?: string): void } {
  const entries: LogEntry[] = [];
  return {
    entries,
    error: (object, message) => entries.push({ level: 'error', object, message }),
    warn: (object, message) => entries.push({ level: 'warn', object, message }),
  };
}

/**
 * Starts a real server on a free loopback port for the tests of one file, and stops it after them.
 * Its log goes to `logger` (a collecting one unless the options name another).
 */
export function serveForTests(options: ServerOptions): { readonly url: string; readonly server: Server; readonly log: LogEntry[] } {
  const logger = options.logger ?? collectingLogger();
  const state = { url: '', server: undefined as unknown as Server, log: 'entries' in logger ? (logger.entries as LogEntry[]) : [] };
  beforeAll(async () => {
    state.server = await new Server({ ...options, logger }).start();
    state.url = state.server.url;
  });
  afterAll(async () => {
    await state.server?.stop();
  });
  return state;
}
