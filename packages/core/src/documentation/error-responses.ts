import { type ErrorCode, errorTable } from '../errors.js';
import type { JsonSchema } from './schema-definitions.js';

/** The JSON body of every error answer (wire/error-body.ts): absent fields are left out, never null. */
export function errorBodySchema(): JsonSchema {
  const text = { type: 'string' };
  return {
    type: 'object',
    properties: {
      code: { enum: Object.keys(errorTable) },
      message: text,
      parameter: { ...text, description: 'For MISSING_PARAMETER, UNKNOWN_PARAMETER and BAD_PARAMETER: the parameter, or the unknown key.' },
      issues: {
        type: 'array',
        description: 'For MISSING_PARAMETER, UNKNOWN_PARAMETER, BAD_PARAMETER and RESULT_ENCODING: the problems, each with its path (at most 100).',
        items: {
          type: 'object',
          properties: {
            path: { ...text, description: 'Where the problem is: `items[1].when`; a parameter’s issues start with its name.' },
            segments: { type: 'array', items: { type: ['string', 'integer'] }, description: 'The path as segments: `["items", 1, "when"]`.' },
            message: { ...text, description: 'The problem, without the path.' },
            expected: { ...text, description: 'For a value of the wrong kind: what it should have been.' },
            received: { ...text, description: 'For a value of the wrong kind: a short description of what came.' },
          },
          required: ['path', 'segments', 'message'],
        },
      },
      issuesOmitted: { type: 'integer', minimum: 1, description: 'How many issues were left out to keep the answer small.' },
      data: { description: 'What the implementation sent with the error it threw, as JSON.' },
      name: { ...text, description: 'For MARSHAL_ERR_HANDLER, only when the server runs with debug on: the class name of the error the implementation threw.' },
      stack: { ...text, description: 'For MARSHAL_ERR_HANDLER, only when the server runs with debug on.' },
    },
    required: ['code', 'message'],
  };
}

export interface ErrorResponses {
  /** For components.responses: `Error400` and so on, each described by the codes that carry its status. */
  readonly components: Record<string, Record<string, unknown>>;
  /** For an operation's responses: each status refers to its component. */
  readonly refs: Record<string, { readonly $ref: string }>;
}

/**
 * One shared response per error status. Every HTTP endpoint can answer each: an implementation may
 * throw a MarshalError with any code. Codes only WebSocket endpoints meet are left out.
 */
export function errorResponses(errorBodyRef: JsonSchema): ErrorResponses {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of Object.keys(errorTable) as ErrorCode[]) {
    const entry: { status: number; webSocketOnly?: boolean } = errorTable[code];
    if (entry.webSocketOnly) continue;
    const { status } = entry;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const result: ErrorResponses = { components: {}, refs: {} };
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    result.components[`Error${status}`] = {
      description: codes.map((code) => `${code}: ${errorTable[code].summary}`).join(' '),
      content: { 'application/json': { schema: errorBodyRef } },
    };
    result.refs[String(status)] = { $ref: `#/components/responses/Error${status}` };
  }
  return result;
}
