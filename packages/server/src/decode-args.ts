import { type ErrorIssue, MarshalError, type ParamModel } from '@marshal/core';
import { SerializationError, formatPath, issuesOf } from '@marshal/serialization';
import type { EndpointPlan } from './endpoint-plan.js';

/**
 * What a decoder threw while decoding one parameter → what to throw instead: a type mismatch
 * becomes a 400 that names the parameter and the path within it; anything else is unchanged.
 * (Callers decode inline in try/catch rather than through a callback: no closure per parameter.)
 */
function badParameter(param: ParamModel, error: unknown): unknown {
  if (!(error instanceof SerializationError)) return error;
  return badParameters(param, [{ path: formatPath([param.name, ...error.path]), message: error.problem }]);
}

/** One 400 for every problem found: the message names the first, `issues` lists them all. */
function badParameters(first: ParamModel, issues: ErrorIssue[]): MarshalError {
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more ${issues.length === 2 ? 'problem' : 'problems'})` : '';
  const at = issues[0].path === first.name ? '' : `${issues[0].path.slice(first.name.length).replace(/^\./, '')}: `;
  return new MarshalError('MARSHAL_ERR_BAD_PARAMETER', `parameter '${first.name}': ${at}${issues[0].message}${more}`, { parameter: first.name, issues });
}

function missing(param: ParamModel, where: string): MarshalError {
  return new MarshalError('MARSHAL_ERR_MISSING_PARAMETER', `parameter '${param.name}' is required (${where})`, { parameter: param.name });
}

/** Path segments (already split, still percent-encoded) → arguments. */
export function decodePathArgs(plan: EndpointPlan, segments: readonly string[], args: unknown[]): void {
  const params = plan.pathParams;
  if (segments.length < params.length) {
    throw missing(params[segments.length].param, `in the URL path: ${plan.model.urlTemplate}`);
  }
  for (let i = 0; i < params.length; i++) {
    const { param, text } = params[i];
    try {
      args[param.index] = text.parse(percentDecode(segments[i]));
    } catch (error) {
      throw badParameter(param, error);
    }
  }
}

/** The query string (without '?') → arguments; unknown keys are ignored, a repeated key's last value wins. */
export function decodeQueryArgs(plan: EndpointPlan, query: string, args: unknown[]): void {
  if (query.length === 0 || plan.queryParams.length === 0) return;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const entry = plan.queryByName.get(safeQueryName(eq < 0 ? pair : pair.slice(0, eq)));
    if (entry === undefined) continue;
    try {
      args[entry.param.index] = entry.text.parse(decodeQueryText(eq < 0 ? '' : pair.slice(eq + 1)));
    } catch (error) {
      throw badParameter(entry.param, error);
    }
  }
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
    if (!plan.jsonByName.has(key)) {
      const expected = plan.jsonParams.map((p) => p.param.name).join(', ') || 'none';
      throw new MarshalError('MARSHAL_ERR_UNKNOWN_PARAMETER', `the JSON body has an unknown parameter '${key}' (expected: ${expected})`, {
        parameter: key,
      });
    }
  }
  const params = plan.jsonParams;
  for (let i = 0; i < params.length; i++) {
    const { param, codec } = params[i];
    const raw = body[param.name];
    if (raw === undefined) {
      if (!param.optional) throw missing(param, 'in the JSON body');
      continue;
    }
    try {
      args[param.index] = codec.decode(raw);
    } catch (error) {
      if (!(error instanceof SerializationError)) throw error;
      throw badParameters(param, everyIssue(plan, body, i));
    }
  }
}

/**
 * The first bad JSON parameter stopped decoding; now, off the fast path, decode it and the ones
 * after it again, collecting every problem with its path.
 */
function everyIssue(plan: EndpointPlan, body: Record<string, unknown>, from: number): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  for (const { param, codec } of plan.jsonParams.slice(from)) {
    const raw = body[param.name];
    if (raw === undefined) {
      if (!param.optional) issues.push({ path: param.name, message: 'missing required parameter' });
      continue;
    }
    for (const issue of issuesOf(codec, raw)) issues.push({ path: formatPath([param.name, ...issue.path]), message: issue.message });
  }
  return issues;
}
