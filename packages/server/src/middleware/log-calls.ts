import type { Logger } from '../core/logger.js';
import type { Call, CallEnd, Middleware } from './call.js';

/** What `logCalls` writes to: pino's `info` and `error`, or any logger with the same two methods. */
export type CallLogger = Required<Pick<Logger, 'info' | 'error'>>;

/** The fields of the line `logCalls` writes per call. */
export interface CallLogLine {
  readonly service: string;
  readonly endpoint: string;
  readonly transport: 'http' | 'websocket';
  readonly status: number;
  /** The error code; absent for a call that succeeded. */
  readonly code: string | undefined;
  readonly durationMs: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** The principal's `id` or `name` (or the principal, when it is a string), else the client's address. */
  readonly caller: string | number | undefined;
}

/**
 * One structured line per call, written when it ends: `info` for a success or a refusal (4xx),
 * `error` for a failure of the server's (5xx), with what the implementation threw as `err`, so
 * its stack is in the log while the client sees none. Put it first in the chain, so that calls a
 * guard refuses are logged too.
 */
export function logCalls(logger: CallLogger): Middleware {
  if (typeof logger?.info !== 'function' || typeof logger.error !== 'function') throw new TypeError('logCalls needs a logger with info and error methods (pino, or the like)');
  const write = (call: Call, end: CallEnd): void => {
    try {
      const line: CallLogLine = {
        service: call.service,
        endpoint: call.endpoint,
        transport: call.transport,
        status: end.status,
        code: end.code,
        durationMs: Math.round(end.durationMs * 1000) / 1000,
        bytesIn: end.bytesIn,
        bytesOut: end.bytesOut,
        caller: callerOf(call),
      };
      if (end.status >= 500) logger.error(end.error === undefined ? line : { ...line, err: end.error }, 'call failed');
      else logger.info(line, 'call');
    } catch {
      // a logger (or a principal's getter) that throws must not turn an answered call into a crash
    }
  };
  return (call, next) => {
    call.onEnd((end) => write(call, end));
    return next();
  };
}

function callerOf(call: Call): string | number | undefined {
  const principal = call.principal;
  if (typeof principal === 'string' || typeof principal === 'number') return principal;
  if (typeof principal === 'object' && principal !== null) {
    const { id, name } = principal as { id?: unknown; name?: unknown };
    if (typeof id === 'string' || typeof id === 'number') return id;
    if (typeof name === 'string') return name;
  }
  return call.remoteAddress;
}
