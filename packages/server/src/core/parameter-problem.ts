import type { ErrorCode, ErrorIssue } from '@marshal/core/internal';
import { type PathSegment, SerializationError, formatPath } from '@marshal/serialization/internal';
import { boundedSegments, clip, errorBounds } from './error-response.js';

/** What one parameter of a request got wrong: the error it would be on its own, and its issues. */
export interface ParameterProblem {
  readonly code: Extract<ErrorCode, 'MARSHAL_ERR_MISSING_PARAMETER' | 'MARSHAL_ERR_UNKNOWN_PARAMETER' | 'MARSHAL_ERR_BAD_PARAMETER'>;
  readonly parameter: string;
  readonly message: string;
  readonly issues: readonly ErrorIssue[];
}

/** What a SerializationError or a SerializationIssue says beyond its path. */
export interface Problem {
  readonly message: string;
  readonly expected?: string | undefined;
  readonly received?: string | undefined;
}

/**
 * The issue of `problem` at `segments` (a parameter's name first). Long keys in the path are cut
 * first (docs/errors.md, "Bounds"), so that no text is built from a key of any length.
 */
export function issueAt(segments: readonly PathSegment[], problem: Problem): ErrorIssue {
  const bounded = boundedSegments(segments);
  const issue: { -readonly [K in keyof ErrorIssue]: ErrorIssue[K] } = { path: formatPath(bounded), segments: bounded, message: problem.message };
  if (problem.expected !== undefined) issue.expected = problem.expected;
  if (problem.received !== undefined) issue.received = problem.received;
  return issue;
}

export function missingParameter(name: string, where: string): ParameterProblem {
  return {
    code: 'MARSHAL_ERR_MISSING_PARAMETER',
    parameter: name,
    message: `parameter '${name}' is required (${where})`,
    issues: [issueAt([name], { message: `missing: required ${where}` })],
  };
}

export function unknownParameter(name: string, expected: string): ParameterProblem {
  return {
    code: 'MARSHAL_ERR_UNKNOWN_PARAMETER',
    parameter: name,
    message: `the JSON body has an unknown parameter '${clip(name, errorBounds.parameter)}' (expected: ${expected})`,
    issues: [issueAt([name], { message: `not a parameter of this endpoint (expected: ${expected})` })],
  };
}

/** The message names the parameter and the first issue's place within it: `parameter 'items': [1].when: …`. */
export function badParameter(name: string, issues: readonly ErrorIssue[]): ParameterProblem {
  const within = formatPath(issues[0].segments.slice(1));
  return { code: 'MARSHAL_ERR_BAD_PARAMETER', parameter: name, message: `parameter '${name}': ${within ? `${within}: ` : ''}${issues[0].message}`, issues };
}

/** A URL parameter whose text did not parse; anything but a SerializationError is not a parameter problem and is thrown on. */
export function badUrlParameter(name: string, error: unknown): ParameterProblem {
  if (!(error instanceof SerializationError)) throw error;
  return badParameter(name, [issueAt([name, ...error.path], { message: error.problem, expected: error.expected, received: error.received })]);
}
