import { type ErrorIssue, MarshalError } from '@marshal/core/internal';
import { issuesOf } from '@marshal/serialization/internal';
import { decodePathArgs, decodeQueryArgs } from './decode-args.js';
import { clip, errorBounds } from './error-response.js';
import { type ParameterProblem, badParameter, issueAt, missingParameter, unknownParameter } from './parameter-problem.js';
import type { ServedEndpoint } from './served-endpoint.js';

/**
 * Off the fast path, once decoding has failed: the problems of the request's parameters, in the
 * path, the query and (when it could be read) the JSON body, as one 400. It carries the code,
 * parameter and message of the first problem, in the order the fast path meets them, and lists
 * the first `errorBounds.issues` issues; the rest are counted (`issuesOmitted`), and past the
 * bound none is built. undefined if nothing is wrong after all.
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
  // One issue each, and no more of them than the URL has room for.
  let issues = problems.flatMap((problem) => problem.issues);
  let omitted = Math.max(0, issues.length - errorBounds.issues);
  if (omitted > 0) issues = issues.slice(0, errorBounds.issues);
  if (body !== undefined) omitted += bodyProblems(endpoint, body, problems, issues);
  if (problems.length === 0) return undefined;
  const [first] = problems;
  const more = issues.length - 1 + omitted;
  const message = more === 0 ? first.message : `${first.message} (and ${more} more ${more === 1 ? 'problem' : 'problems'})`;
  return new MarshalError(first.code, message, { parameter: first.parameter, issues, ...(omitted > 0 && { issuesOmitted: omitted }) });
}

/**
 * The body's problems, added to `problems` and their issues to `issues` while it has room for
 * them (errorBounds.issues); gives back how many more there were.
 */
function bodyProblems(endpoint: ServedEndpoint, body: Record<string, unknown>, problems: ParameterProblem[], issues: ErrorIssue[]): number {
  let omitted = 0;
  const add = (problem: ParameterProblem) => {
    problems.push(problem);
    issues.push(...problem.issues);
  };
  const expected = endpoint.jsonParams.map((p) => p.param.name).join(', ') || 'none';
  for (const key of Object.keys(body)) {
    if (endpoint.jsonByName.has(key)) continue;
    if (issues.length < errorBounds.issues) add(unknownParameter(key, expected));
    else omitted++;
  }
  for (const { param, codec } of endpoint.jsonParams) {
    const raw = body[param.name];
    if (raw === undefined) {
      if (param.optional) continue;
      if (issues.length < errorBounds.issues) add(missingParameter(param.name, 'in the JSON body'));
      else omitted++;
      continue;
    }
    // With no room left, the parameter's problems are only counted.
    const found = issuesOf(codec, raw, errorBounds.issues - issues.length);
    omitted += found.omitted;
    if (found.issues.length > 0) add(badParameter(param.name, found.issues.map((issue) => issueAt([param.name, ...issue.path], issue))));
  }
  return omitted;
}

/** A multipart part that names no file parameter, or a required file parameter without its part. */
export function multipartFileProblem(endpoint: ServedEndpoint, files: ReadonlyMap<string, Uint8Array>): MarshalError | undefined {
  const names = endpoint.fileParams.map((param) => param.name);
  for (const name of files.keys()) {
    if (!names.includes(name)) {
      const expected = ['json_arguments', ...names].join(', ');
      return new MarshalError('MARSHAL_ERR_UNKNOWN_PARAMETER', `the multipart body has an unknown part '${clip(name, 100)}' (expected: ${expected})`, { parameter: clip(name, 100) });
    }
  }
  const missing = endpoint.fileParams.find((param) => !param.optional && !files.has(param.name));
  if (missing !== undefined) {
    return new MarshalError('MARSHAL_ERR_MISSING_PARAMETER', `parameter '${missing.name}' is required (a part of the multipart body)`, { parameter: missing.name });
  }
  return undefined;
}

