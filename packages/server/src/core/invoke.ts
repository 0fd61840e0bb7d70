import type { ServedEndpoint } from './served-endpoint.js';

/**
 * Where the outcome of a call goes: its result, or what it threw or rejected with. Each is called
 * at most once per call, except that a result or error may follow a timeout's error: the
 * outcome keeps the first. Neither may throw.
 */
export interface Outcome {
  result(value: unknown): void;
  error(error: unknown): void;
}

/**
 * Calls the implementation and hands its outcome on, after awaiting it if it is a promise (or any
 * thenable). A synchronous result is handed on synchronously: no promise is made for it. A
 * pending one is given the endpoint's timeout (deadlines.ts), after which the outcome gets
 * MARSHAL_ERR_TIMEOUT.
 */
export function invoke(endpoint: ServedEndpoint, args: unknown[], outcome: Outcome): void {
  let result: unknown;
  let pending: boolean;
  try {
    result = endpoint.invoke(args);
    pending = isThenable(result);
  } catch (error) {
    return outcome.error(error);
  }
  if (!pending) return outcome.result(result);
  const bucket = endpoint.deadlines?.bucket();
  const place = bucket === undefined ? -1 : bucket.push(outcome) - 1;
  // Promise.resolve takes up a foreign thenable as `await` would (a `then` that throws becomes a
  // rejection), and returns a native promise as it is.
  Promise.resolve(result).then(
    (value) => {
      if (bucket !== undefined) bucket[place] = undefined;
      outcome.result(value);
    },
    (error: unknown) => {
      if (bucket !== undefined) bucket[place] = undefined;
      outcome.error(error);
    },
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
