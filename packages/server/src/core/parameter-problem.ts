import type { ErrorCode, ErrorIssue } from '@marshal/core';
import { SerializationError, formatPath } from '@marshal/serialization';

/** What one parameter of a request got wrong: the error it would be on its own, and its issues. */
export interface ParameterProblem {
  readonly code: Extract<ErrorCode, 'MARSHAL_ERR_MISSING_PARAMETER' | 'MARSHAL_ERR_UNKNOWN_PARAMETER' | 'MARSHAL_ERR_BAD_PARAMETER'>;
  readonly parameter: string;
  readonly message: string;
  readonly issues: readonly ErrorIssue[];
}

export function missingParameter(name: string, where: string): ParameterProblem {
  return {
    code: 'MARSHAL_ERR_MISSING_PARAMETER',
    parameter: name,
    message: `parameter '${name}' is required (${where})`,
    issues: [{ path: name, message: `missing: required ${where}` }],
  };
}

export function unknownParameter(name: string, expected: string): ParameterProblem {
  return {
    code: 'MARSHAL_ERR_UNKNOWN_PARAMETER',
    parameter: name,
    message: `the JSON body has an unknown parameter '${name}' (expected: ${expected})`,
    issues: [{ path: formatPath([name]), message: `not a parameter of this endpoint (expected: ${expected})` }],
  };
}

/** The message names the parameter and the first issue's place within it: `parameter 'items': [1].when: …`. */
export function badParameter(name: string, issues: readonly ErrorIssue[]): ParameterProblem {
  const within = issues[0].path.slice(name.length).replace(/^\./, '');
  return { code: 'MARSHAL_ERR_BAD_PARAMETER', parameter: name, message: `parameter '${name}': ${within ? `${within}: ` : ''}${issues[0].message}`, issues };
}

/** A URL parameter whose text did not parse; anything but a SerializationError is not a parameter problem and is thrown on. */
export function badUrlParameter(name: string, error: unknown): ParameterProblem {
  if (!(error instanceof SerializationError)) throw error;
  return badParameter(name, [{ path: formatPath([name, ...error.path]), message: error.problem }]);
}
