/**
 * Bytes travel as standard base64. Node encodes with its Buffer; everywhere else (a browser
 * bundle has no Buffer) the portable btoa/atob path runs: both must write and read the same text.
 */
import { describe, expect, it } from 'vitest';
import { Bytes } from './descriptor.js';
import { codecFor } from './codec.js';
import { portableFromBase64, portableToBase64 } from './bytes.js';

/** Deterministic bytes of every value, of a given length. */
function bytesOf(length: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

describe('the portable base64 path', () => {
  it.each([0, 1, 2, 3, 4, 5, 255, 256, 0x8000 - 1, 0x8000, 0x8000 + 1, 3 * 0x8000 + 2, 1_000_000])('writes and reads %i bytes as Buffer does', (length) => {
    const bytes = bytesOf(length);
    const text = portableToBase64(bytes);
    expect(text).toBe(Buffer.from(bytes).toString('base64'));
    const decoded = portableFromBase64(text);
    expect(decoded).toBeInstanceOf(Uint8Array);
    // Buffer's comparison: vitest's deep equality takes seconds on a megabyte.
    expect(Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength).equals(bytes)).toBe(true);
  });

  it('writes a view into a larger buffer as just its own bytes', () => {
    const whole = bytesOf(64);
    const view = whole.subarray(10, 20);
    expect(portableToBase64(view)).toBe(Buffer.from(view).toString('base64'));
    expect(codecFor(Bytes).encode(view)).toEqual({ '@type': 'bytes', value: Buffer.from(view).toString('base64') });
  });

  it('reads every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(portableFromBase64(Buffer.from(all).toString('base64'))).toEqual(all);
  });
});

it('decodes to a Uint8Array, and refuses base64 that is not standard', () => {
  const decoded = codecFor(Bytes).decode({ '@type': 'bytes', value: 'AAEC/w==' });
  expect(decoded).toBeInstanceOf(Uint8Array);
  expect([...decoded]).toEqual([0, 1, 2, 255]);
  expect(() => codecFor(Bytes).decode({ '@type': 'bytes', value: 'AAEC_w==' })).toThrow('bytes value is not standard base64');
});
