import { MarshalError } from '@marshal/core';
import { formatPath, issuesOf } from '@marshal/serialization';
import { decodePathArgs, decodeQueryArgs } from './decode-args.js';
import { type ParameterProblem, badParameter, missingParameter, unknownParameter } from './parameter-problem.js';
import type { ServedEndpoint } from './served-endpoint.js';

/**
 * Off the fast path, once decoding has failed: every problem of the request's parameters, in the
 * path, the query and (when it could be read) the JSON body, as one 400. It carries the code,
 * parameter and message of the first problem, in the order the fast path meets them, and lists
 * every issue. undefined if nothing is wrong after all.
 */
export function requestProblems(
  endpoint: ServedEndpoint,
  segments: readonly string[],
  query: string,
  body: Record<string, unknown> | undefined,
): MarshalError | undefined {
  const problems: ParameterProblem[] = [];
  // The arguments decoded along the way are not wanted: only the problems are.
  const scratch: unknown[] = [];
  decodePathArgs(endpoint, segments, scratch, problems);
  decodeQueryArgs(endpoint, query, scratch, problems);
  if (body !== undefined) bodyProblems(endpoint, body, problems);
  if (problems.length === 0) return undefined;
  const [first] = problems;
  const issues = problems.flatMap((problem) => problem.issues);
  const more = issues.length - 1;
  const message = more === 0 ? first.message : `${first.message} (and ${more} more ${more === 1 ? 'problem' : 'problems'})`;
  return new MarshalError(first.code, message, { parameter: first.parameter, issues });
}

function bodyProblems(endpoint: ServedEndpoint, body: Record<string, unknown>, problems: ParameterProblem[]): void {
  const expected = endpoint.jsonParams.map((p) => p.param.name).join(', ') || 'none';
  for (const key of Object.keys(body)) {
    if (!endpoint.jsonByName.has(key)) problems.push(unknownParameter(key, expected));
  }
  for (const { param, codec } of endpoint.jsonParams) {
    const raw = body[param.name];
    if (raw === undefined) {
      if (!param.optional) problems.push(missingParameter(param.name, 'in the JSON body'));
      continue;
    }
    const issues = issuesOf(codec, raw).map((issue) => ({ path: formatPath([param.name, ...issue.path]), message: issue.message }));
    if (issues.length > 0) problems.push(badParameter(param.name, issues));
  }
}
