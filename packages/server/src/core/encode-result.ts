import { type ErrorIssue, MarshalError } from '@marshal/core/internal';
import { SerializationError } from '@marshal/serialization/internal';
import type { ServedEndpoint } from './served-endpoint.js';

/** The implementation's result → its JSON text; a result that does not fit the declared type is a MarshalError naming the path. */
export function encodeResult(endpoint: ServedEndpoint, result: unknown): string {
  try {
    const encoded = endpoint.result.encode(result);
    if (encoded === undefined) return 'null';
    const json = JSON.stringify(encoded) as string | undefined;
    // A function or a symbol inside a Json value: JSON has no text for it.
    if (json === undefined) throw new SerializationError(`expected a JSON value, got a ${typeof encoded}`);
    return json;
  } catch (error) {
    // A SerializationError names the path; JSON.stringify fails on cycles and BigInts inside Json values.
    const problem = error instanceof SerializationError ? error.problem : (error as Error).message;
    const path = error instanceof SerializationError ? error.pathText : '';
    const issue: ErrorIssue =
      error instanceof SerializationError
        ? { path, segments: [...error.path], message: problem, ...(error.expected !== undefined && { expected: error.expected, received: error.received }) }
        : { path, segments: [], message: problem };
    throw new MarshalError('MARSHAL_ERR_RESULT_ENCODING', `${endpoint.label} returned a value that does not fit its return type: ${path ? `${path}: ` : ''}${problem}`, {
      issues: [issue],
    });
  }
}

/** A `Bytes` result, sent as its raw bytes. */
export function encodeBytesResult(endpoint: ServedEndpoint, value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new MarshalError('MARSHAL_ERR_RESULT_ENCODING', `${endpoint.label} returned a value that does not fit its return type: expected a Uint8Array, got ${typeof value}`);
}

