import { fail, refuse } from './serialization-error.js';

/** Bytes travel as {"@type": "bytes", "value": "<standard base64 with padding>"}, as the reference writes them. */
export const bytesTag = 'bytes';
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBytes(value: unknown): { '@type': string; value: string } {
  if (!(value instanceof Uint8Array)) return refuse('bytes (a Uint8Array or Buffer)', value);
  return { '@type': bytesTag, value: toBase64(value) };
}

export function decodeBytes(json: unknown): Uint8Array {
  const tagged = json as { '@type'?: unknown; value?: unknown } | null;
  if (typeof tagged !== 'object' || tagged === null || tagged['@type'] !== bytesTag || typeof tagged.value !== 'string') {
    return refuse('{"@type": "bytes", "value": "<base64>"}', json);
  }
  if (!base64Pattern.test(tagged.value)) fail('bytes value is not standard base64');
  return fromBase64(tagged.value);
}

/**
 * Node's Buffer where there is one (the fastest there); elsewhere (a browser bundle) btoa/atob,
 * which every browser and server runtime has. Buffer is read from globalThis, so that nothing
 * here needs Node's types or makes a bundler add a Buffer polyfill.
 */
interface BufferLike {
  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
  readonly byteLength: number;
  toString(encoding: 'base64'): string;
}
interface BufferClass {
  from(text: string, encoding: 'base64'): BufferLike;
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): BufferLike;
}
const nodeBuffer = (globalThis as { Buffer?: BufferClass }).Buffer;

function toBase64(bytes: Uint8Array): string {
  return nodeBuffer ? nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') : portableToBase64(bytes);
}

function fromBase64(text: string): Uint8Array {
  if (!nodeBuffer) return portableFromBase64(text);
  const buffer = nodeBuffer.from(text, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** String.fromCharCode takes the bytes as arguments: in chunks well under any engine's limit on them. */
const chunk = 0x8000;

/** Standard base64 with padding, through btoa on a binary string (one character per byte). */
export function portableToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += chunk) {
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + chunk) as unknown as number[]));
  }
  return btoa(parts.join(''));
}

/** The bytes of standard base64 text (already checked against base64Pattern), through atob. */
export function portableFromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
