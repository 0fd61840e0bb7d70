import { describe, expect, it } from 'vitest';
import { CutLineError, linesOf } from './read-lines.js';

async function* chunksOf(pieces: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) yield piece;
}

async function lines(pieces: readonly Uint8Array[]): Promise<string[]> {
  const result: string[] = [];
  for await (const line of linesOf(chunksOf(pieces))) result.push(line);
  return result;
}

describe('linesOf', () => {
  const text = 'line:0\r\nlíne:1 — ✓\n\n{"a":"b\\r"}\r\n𝄞\n';
  const bytes = new TextEncoder().encode(text);
  const expected = ['line:0', 'líne:1 — ✓', '', '{"a":"b\\r"}', '𝄞'];

  it('gives the same lines however the body is cut into chunks', async () => {
    expect(await lines([bytes])).toEqual(expected);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(await lines([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(expected);
    }
    expect(await lines([...bytes].map((byte) => new Uint8Array([byte])))).toEqual(expected);
  });

  it('gives nothing for an empty body', async () => {
    expect(await lines([])).toEqual([]);
    expect(await lines([new Uint8Array(0)])).toEqual([]);
  });

  it('throws a CutLineError for a body that ends inside a line', async () => {
    await expect(lines([new TextEncoder().encode('a\nb')])).rejects.toThrow(CutLineError);
    await expect(lines([new TextEncoder().encode('a\r')])).rejects.toThrow('the body ended inside a line (2 characters after the last line break)');
    // A character cut short is a line cut short too.
    await expect(lines([new Uint8Array([0x61, 0x0a, 0xc3])])).rejects.toThrow(CutLineError);
  });
});
