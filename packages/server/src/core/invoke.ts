import type { ServedEndpoint } from './served-endpoint.js';

/** Where the outcome of a call goes: its result, or what it threw or rejected with. */
export interface Outcome {
  result(value: unknown): void;
  error(error: unknown): void;
}

/**
 * Calls the implementation and hands its outcome on, after awaiting it if it is a promise (or any
 * thenable). A synchronous result is handed on synchronously: no promise is made for it.
 */
export function invoke(endpoint: ServedEndpoint, args: unknown[], outcome: Outcome): void {
  let result: unknown;
  try {
    result = endpoint.invoke(args);
  } catch (error) {
    return outcome.error(error);
  }
  if (!isThenable(result)) return outcome.result(result);
  // Promise.resolve takes up a foreign thenable as `await` would, and returns a native promise as it is.
  Promise.resolve(result).then(
    (value) => outcome.result(value),
    (error: unknown) => outcome.error(error),
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
