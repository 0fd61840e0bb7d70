/**
 * The texts of the records whose id matches, in order, optionally without repeats: the logic of
 * the reference's select example, shared by MyService and the benchmark's raw and Fastify peers.
 */
export function selectTexts(id: string, data: readonly Record<string, unknown>[], dropDuplicates: boolean): string[] {
  const result: string[] = [];
  for (const element of data) {
    if (element.id !== id) continue;
    const text = String(element.text);
    if (dropDuplicates && result.includes(text)) continue;
    result.push(text);
  }
  return result;
}
