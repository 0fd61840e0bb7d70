import type { CompiledEndpoint, ParamModel } from '@marshal/core/internal';
import { SerializationError } from '@marshal/serialization/internal';

/** One call as HTTP: what a transport sends. */
export interface EncodedCall {
  readonly method: 'GET' | 'POST';
  /** Path and query, to append to the base URL's path. */
  readonly path: string;
  /** JSON text, or undefined for no body. */
  readonly body: string | undefined;
}

/**
 * Arguments → method, URL and body, by the compiled endpoint the server decodes with. An argument
 * that does not fit its type is a TypeError naming it, thrown before anything is sent.
 */
export function encodeCall(endpoint: CompiledEndpoint, args: readonly unknown[]): EncodedCall {
  const { model } = endpoint;
  let path = model.route;
  for (const { param, text } of endpoint.pathParams) {
    const value = args[param.index];
    if (value === undefined || value === null) throw argumentError(endpoint, param, 'is required');
    const segment = encodeArg(endpoint, param, () => text.format(value));
    // An empty segment reads as a missing one (or a trailing slash) on the server.
    if (segment === '') throw argumentError(endpoint, param, 'is an empty string, which a URL path cannot carry; declare the endpoint with forceJsonParams');
    path += `/${encodeURIComponent(segment)}`;
  }
  let separator = '?';
  for (const { param, text } of endpoint.queryParams) {
    const value = args[param.index];
    // Absent and null are both left out; the server hands the implementation undefined (or null for nullable()).
    if (value === undefined || value === null) continue;
    path += `${separator}${param.name}=${encodeURIComponent(encodeArg(endpoint, param, () => text.format(value)))}`;
    separator = '&';
  }
  let body: string | undefined;
  if (endpoint.bodyKind === 'json') {
    const values: Record<string, unknown> = {};
    for (const { param, codec } of endpoint.jsonParams) {
      const value = args[param.index];
      if (value === undefined && param.optional) continue;
      values[param.name] = encodeArg(endpoint, param, () => codec.encode(value));
    }
    body = JSON.stringify(values);
  }
  return { method: model.httpMethod, path, body };
}

function encodeArg<T>(endpoint: CompiledEndpoint, param: ParamModel, encode: () => T): T {
  try {
    return encode();
  } catch (error) {
    if (error instanceof SerializationError) throw argumentError(endpoint, param, error.message);
    throw error;
  }
}

function argumentError(endpoint: CompiledEndpoint, param: ParamModel, problem: string): TypeError {
  return new TypeError(`${endpoint.label}: argument '${param.name}' ${problem.startsWith('is ') ? problem : `does not fit its type: ${problem}`}`);
}
