/**
 * The texts of the records whose id matches, in order, optionally without repeats: the logic of
 * the reference's select example, shared by MyService and the benchmark's raw and Fastify peers.
 *
 * `data` is `[JsonObject]`, so a record may hold anything under `text`. A record counts only when
 * its `id` is the given string and its `text` is a string; any other record is skipped, whatever
 * its text is (a number, null, an array, an object such as `{"toString": 1}`, or no text at all).
 * Turning such a text into a string would invent texts the caller never sent (`[object Object]`,
 * `undefined`, `1,2`), call methods the caller chose (`{"toString": 1}` makes `String()` throw),
 * and make `5` and `"5"` repeats of each other. The id is compared the same way: `5` is not `"5"`.
 */
export function selectTexts(id: string, data: readonly Record<string, unknown>[], dropDuplicates: boolean): string[] {
  const result: string[] = [];
  // A Set, not result.includes: with one text per record, a 1 MiB body of distinct texts took
  // seconds of CPU (quadratic); this stays linear.
  const seen = dropDuplicates ? new Set<string>() : undefined;
  for (const element of data) {
    if (element.id !== id) continue;
    const text = element.text;
    if (typeof text !== 'string') continue;
    if (seen !== undefined) {
      if (seen.has(text)) continue;
      seen.add(text);
    }
    result.push(text);
  }
  return result;
}
