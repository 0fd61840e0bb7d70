/** A body that ended inside a line: the last line has no line break, so the stream was cut short. */
export class CutLineError extends Error {
  override name = 'CutLineError';
}

/**
 * The UTF-8 lines of a body as they arrive, without their line breaks (`\n` or `\r\n`): a line
 * split across chunks is put back together, and a character split across chunks too. Every line
 * ends with a line break, the last one included; a body that ends after an unfinished line throws
 * a CutLineError.
 */
export async function* linesOf(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of chunks) {
    const text = rest + decoder.decode(chunk, { stream: true });
    let start = 0;
    // The part already searched had no line break.
    let end = text.indexOf('\n', rest.length);
    while (end >= 0) {
      yield text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    rest = start === 0 ? text : text.slice(start);
  }
  rest += decoder.decode();
  if (rest.length > 0) throw new CutLineError(`the body ended inside a line (${rest.length} characters after the last line break)`);
}
