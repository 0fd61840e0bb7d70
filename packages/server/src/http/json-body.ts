import { MarshalError } from '@marshal/core/internal';

// fatal: bytes that are not UTF-8 are refused rather than read as U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a JSON body that must be an object of parameters; an empty body is an empty object. */
export function parseJsonObject(body: Uint8Array): Record<string, unknown> {
  if (body.length === 0) return {};
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new MarshalError('MARSHAL_ERR_MALFORMED_JSON', 'the request body is not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new MarshalError('MARSHAL_ERR_MALFORMED_JSON', `the request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MarshalError('MARSHAL_ERR_MALFORMED_JSON', 'the request body must be a JSON object with one key per parameter');
  }
  return parsed as Record<string, unknown>;
}
