import { type ErrorCode, type ErrorIssue, MarshalError } from '@marshal/core';
import { SerializationError, formatPath, issuesOf } from '@marshal/serialization';
import type { EndpointPlan } from './endpoint-plan.js';
import { queryEntry, readPathParam, readQueryValue } from './decode-args.js';

/** What one parameter got wrong: the error it would be on its own, and its issues. */
interface Problem {
  readonly code: Extract<ErrorCode, 'MARSHAL_ERR_MISSING_PARAMETER' | 'MARSHAL_ERR_UNKNOWN_PARAMETER' | 'MARSHAL_ERR_BAD_PARAMETER'>;
  readonly parameter: string;
  readonly message: string;
  readonly issues: readonly ErrorIssue[];
}

/**
 * Off the fast path, once decoding has failed: every problem of the request's parameters, in the
 * path, the query and (when it could be read) the JSON body, as one 400. It carries the code,
 * parameter and message of the first problem, in the order the fast path meets them, and lists
 * every issue. undefined if nothing is wrong after all.
 */
export function requestProblems(
  plan: EndpointPlan,
  segments: readonly string[],
  query: string,
  body: Record<string, unknown> | undefined,
): MarshalError | undefined {
  const problems: Problem[] = [];
  pathProblems(plan, segments, problems);
  queryProblems(plan, query, problems);
  if (body !== undefined) bodyProblems(plan, body, problems);
  if (problems.length === 0) return undefined;
  const [first] = problems;
  const issues = problems.flatMap((problem) => problem.issues);
  const more = issues.length - 1;
  const message = more === 0 ? first.message : `${first.message} (and ${more} more ${more === 1 ? 'problem' : 'problems'})`;
  return new MarshalError(first.code, message, { parameter: first.parameter, issues });
}

function pathProblems(plan: EndpointPlan, segments: readonly string[], problems: Problem[]): void {
  plan.pathParams.forEach((entry, i) => {
    const { name } = entry.param;
    if (i >= segments.length) {
      problems.push(missing(name, `in the URL path: ${plan.model.urlTemplate}`));
      return;
    }
    try {
      readPathParam(entry, segments[i]);
    } catch (error) {
      problems.push(bad(name, [issueOf(name, error)]));
    }
  });
}

function queryProblems(plan: EndpointPlan, query: string, problems: Problem[]): void {
  if (query.length === 0) return;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const entry = queryEntry(plan, pair, eq);
    if (entry === undefined) continue;
    try {
      readQueryValue(entry, pair, eq);
    } catch (error) {
      problems.push(bad(entry.param.name, [issueOf(entry.param.name, error)]));
    }
  }
}

function bodyProblems(plan: EndpointPlan, body: Record<string, unknown>, problems: Problem[]): void {
  const expected = plan.jsonParams.map((p) => p.param.name).join(', ') || 'none';
  for (const key of Object.keys(body)) {
    if (plan.jsonByName.has(key)) continue;
    problems.push({
      code: 'MARSHAL_ERR_UNKNOWN_PARAMETER',
      parameter: key,
      message: `the JSON body has an unknown parameter '${key}' (expected: ${expected})`,
      issues: [{ path: formatPath([key]), message: `not a parameter of this endpoint (expected: ${expected})` }],
    });
  }
  for (const { param, codec } of plan.jsonParams) {
    const raw = body[param.name];
    if (raw === undefined) {
      if (!param.optional) problems.push(missing(param.name, 'in the JSON body'));
      continue;
    }
    const issues = issuesOf(codec, raw).map((issue) => ({ path: formatPath([param.name, ...issue.path]), message: issue.message }));
    if (issues.length > 0) problems.push(bad(param.name, issues));
  }
}

function missing(name: string, where: string): Problem {
  return {
    code: 'MARSHAL_ERR_MISSING_PARAMETER',
    parameter: name,
    message: `parameter '${name}' is required (${where})`,
    issues: [{ path: name, message: `missing: required ${where}` }],
  };
}

/** The message names the parameter and the first issue's place within it: `parameter 'items': [1].when: …`. */
function bad(name: string, issues: readonly ErrorIssue[]): Problem {
  const within = issues[0].path.slice(name.length).replace(/^\./, '');
  return { code: 'MARSHAL_ERR_BAD_PARAMETER', parameter: name, message: `parameter '${name}': ${within ? `${within}: ` : ''}${issues[0].message}`, issues };
}

function issueOf(name: string, error: unknown): ErrorIssue {
  if (!(error instanceof SerializationError)) throw error;
  return { path: formatPath([name, ...error.path]), message: error.problem };
}
