import type { CompiledEndpoint, TextParam } from '@marshal/core/internal';
import { SerializationError } from '@marshal/serialization/internal';
import { type ParameterProblem, badUrlParameter, missingParameter } from './parameter-problem.js';

/**
 * From a request's parts to the implementation's arguments. Without `problems`, decoding stops at
 * the first parameter that does not fit, throwing a SerializationError or `notDecodable`, which
 * is the fast path; the caller then goes over the request again with a `problems` list
 * (request-problems.ts), which records every problem instead, for one 400 naming them all.
 */
export const notDecodable = new SerializationError('a parameter is missing or unknown');

/** Whether an error thrown by the fast path means "collect the problems": any SerializationError. */
export function isDecodingFailure(error: unknown): boolean {
  return error instanceof SerializationError;
}

/** Path segments (already split, still percent-encoded) → arguments. */
export function decodePathArgs(endpoint: CompiledEndpoint, segments: readonly string[], args: unknown[], problems?: ParameterProblem[]): void {
  const params = endpoint.pathParams;
  for (let i = 0; i < params.length; i++) {
    const { param } = params[i];
    if (i >= segments.length) {
      if (problems === undefined) throw notDecodable;
      problems.push(missingParameter(param.name, `in the URL path: ${endpoint.model.urlTemplate}`));
    } else if (problems === undefined) {
      args[param.index] = readText(params[i], segments[i]);
    } else {
      try {
        readText(params[i], segments[i]);
      } catch (error) {
        problems.push(badUrlParameter(param.name, error));
      }
    }
  }
}

/** The query string (without '?') → arguments; unknown keys are ignored, a repeated key's last value wins. */
export function decodeQueryArgs(endpoint: CompiledEndpoint, query: string, args: unknown[], problems?: ParameterProblem[]): void {
  if (query.length === 0 || endpoint.queryParams.length === 0) return;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const entry = endpoint.queryByName.get(queryName(eq < 0 ? pair : pair.slice(0, eq)));
    if (entry === undefined) continue;
    const text = eq < 0 ? '' : plusAsSpace(pair.slice(eq + 1));
    if (problems === undefined) {
      args[entry.param.index] = readText(entry, text);
    } else {
      try {
        readText(entry, text);
      } catch (error) {
        problems.push(badUrlParameter(entry.param.name, error));
      }
    }
  }
}

/** The parsed JSON body → arguments: every key must be a JSON parameter; required ones must be there. */
export function decodeJsonArgs(endpoint: CompiledEndpoint, body: Record<string, unknown>, args: unknown[]): void {
  for (const key of Object.keys(body)) {
    if (!endpoint.jsonByName.has(key)) throw notDecodable;
  }
  const params = endpoint.jsonParams;
  for (let i = 0; i < params.length; i++) {
    const { param, codec } = params[i];
    const raw = body[param.name];
    if (raw !== undefined) args[param.index] = codec.decode(raw);
    else if (!param.optional) throw notDecodable;
  }
}

/** One URL parameter's percent-encoded text → its value. */
function readText(entry: TextParam, encoded: string): unknown {
  return entry.text.parse(percentDecode(encoded));
}

function plusAsSpace(text: string): string {
  return text.includes('+') ? text.replace(/\+/g, ' ') : text;
}

/** A query key; one that is not valid percent-encoding cannot name a parameter, so it is skipped like any unknown key. */
function queryName(text: string): string {
  try {
    return percentDecode(plusAsSpace(text));
  } catch {
    return '';
  }
}

function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new SerializationError(`malformed percent-encoding in ${JSON.stringify(text.slice(0, 40))}`);
  }
}
