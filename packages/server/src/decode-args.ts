import { SerializationError } from '@marshal/serialization';
import type { EndpointPlan, TextParamPlan } from './endpoint-plan.js';

/**
 * The fast path from a request to arguments: it stops at the first problem and throws a
 * ParameterProblem or a SerializationError, which the caller answers by going over the whole
 * request again with request-problems.ts, to name every problem in one 400.
 */
export class ParameterProblem extends Error {}

/** What the fast path throws when a parameter does not fit: the cue to collect every problem. */
export function isParameterProblem(error: unknown): boolean {
  return error instanceof ParameterProblem || error instanceof SerializationError;
}

const problem = new ParameterProblem('a parameter is missing or unknown');

/** Path segments (already split, still percent-encoded) → arguments. */
export function decodePathArgs(plan: EndpointPlan, segments: readonly string[], args: unknown[]): void {
  const params = plan.pathParams;
  if (segments.length < params.length) throw problem;
  for (let i = 0; i < params.length; i++) args[params[i].param.index] = readPathParam(params[i], segments[i]);
}

export function readPathParam(entry: TextParamPlan, segment: string): unknown {
  return entry.text.parse(percentDecode(segment));
}

/** The query string (without '?') → arguments; unknown keys are ignored, a repeated key's last value wins. */
export function decodeQueryArgs(plan: EndpointPlan, query: string, args: unknown[]): void {
  if (query.length === 0 || plan.queryParams.length === 0) return;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const entry = queryEntry(plan, pair, eq);
    if (entry !== undefined) args[entry.param.index] = readQueryValue(entry, pair, eq);
  }
}

/** The parameter a `name=value` pair of the query is for, if any. */
export function queryEntry(plan: EndpointPlan, pair: string, eq: number): TextParamPlan | undefined {
  return plan.queryByName.get(safeQueryName(eq < 0 ? pair : pair.slice(0, eq)));
}

export function readQueryValue(entry: TextParamPlan, pair: string, eq: number): unknown {
  return entry.text.parse(decodeQueryText(eq < 0 ? '' : pair.slice(eq + 1)));
}

function decodeQueryText(text: string): string {
  return percentDecode(text.includes('+') ? text.replace(/\+/g, ' ') : text);
}

/** A query key; one that is not valid percent-encoding cannot name a parameter, so it is skipped like any unknown key. */
function safeQueryName(text: string): string {
  try {
    return decodeQueryText(text);
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

/** The parsed JSON body → arguments: every key must be a JSON parameter; required ones must be there. */
export function decodeJsonArgs(plan: EndpointPlan, body: Record<string, unknown>, args: unknown[]): void {
  for (const key of Object.keys(body)) {
    if (!plan.jsonByName.has(key)) throw problem;
  }
  const params = plan.jsonParams;
  for (let i = 0; i < params.length; i++) {
    const { param, codec } = params[i];
    const raw = body[param.name];
    if (raw !== undefined) args[param.index] = codec.decode(raw);
    else if (!param.optional) throw problem;
  }
}
