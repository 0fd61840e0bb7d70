import type { CompiledEndpoint } from '@marshal/core/internal';
import { SerializationError } from '@marshal/serialization/internal';
import { TransportError } from './transport-error.js';

/**
 * An answer's JSON value → the endpoint's result, or one item of its stream, by the endpoint's
 * codec; a TransportError naming the type when it does not fit. Every transport decodes with it.
 */
export function decodeResult(endpoint: CompiledEndpoint, label: string, json: unknown, part: 'result' | 'item', status?: number): unknown {
  try {
    return endpoint.result.decode(json);
  } catch (error) {
    const problem = error instanceof SerializationError ? error.message : String(error);
    const subject = part === 'item' ? `an item of the stream does not fit ${endpoint.label}'s item type` : `the answer does not fit ${endpoint.label}'s return type`;
    throw new TransportError(label, `${subject}: ${problem}`, error, status);
  }
}
