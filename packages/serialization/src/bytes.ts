import { describeValue } from './descriptor.js';
import { SerializationError } from './serialization-error.js';

/** Bytes travel as {"@type": "bytes", "value": "<standard base64 with padding>"}, as the reference writes them. */
export const bytesTag = 'bytes';
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBytes(value: unknown): { '@type': string; value: string } {
  if (!(value instanceof Uint8Array)) {
    throw new SerializationError(`expected bytes (a Uint8Array or Buffer), got ${describeValue(value)}`);
  }
  const buffer = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return { '@type': bytesTag, value: buffer.toString('base64') };
}

export function decodeBytes(json: unknown): Uint8Array {
  const tagged = json as { '@type'?: unknown; value?: unknown } | null;
  if (typeof tagged !== 'object' || tagged === null || tagged['@type'] !== bytesTag || typeof tagged.value !== 'string') {
    throw new SerializationError(`expected {"@type": "bytes", "value": "<base64>"}, got ${describeValue(json)}`);
  }
  if (!base64Pattern.test(tagged.value)) throw new SerializationError('bytes value is not standard base64');
  const buffer = Buffer.from(tagged.value, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
