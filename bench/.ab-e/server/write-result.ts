import type { ServerResponse } from 'node:http';
import { MarshalError } from '@marshal/core';
import { SerializationError } from '@marshal/serialization';
import type { EndpointPlan } from './endpoint-plan.js';
import { sendJson } from './send-error.js';

/** The implementation's result → 200 with its JSON; a result that does not fit the declared type is a 500 naming the path. */
export function writeResult(response: ServerResponse, plan: EndpointPlan, result: unknown): void {
  let json: string;
  try {
    const encoded = plan.encodeResult(result);
    json = encoded === undefined ? 'null' : JSON.stringify(encoded);
  } catch (error) {
    // A SerializationError names the path; JSON.stringify fails on cycles and BigInts inside Json values.
    const { className, methodName } = plan.model;
    const problem = error instanceof SerializationError ? error.problem : (error as Error).message;
    const path = error instanceof SerializationError ? error.pathText : '';
    throw new MarshalError('MARSHAL_ERR_RESULT_ENCODING', `${className}.${methodName} returned a value that does not fit its return type: ${path ? `${path}: ` : ''}${problem}`, {
      issues: [{ path, message: problem }],
    });
  }
  sendJson(response, 200, json);
}
