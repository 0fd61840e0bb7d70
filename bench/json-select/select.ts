/**
 * The select logic of examples/my-service/my-service.ts, for the raw and Fastify servers: the
 * same loop, but synchronous (those servers have no reason to make it async; Marshal's
 * MyService.select is async because its contract returns a Promise).
 */
export function select(id: string, data: Record<string, unknown>[], dropDuplicates: boolean): string[] {
  const result: string[] = [];
  for (const element of data) {
    if (element.id !== id) continue;
    const text = String(element.text);
    if (dropDuplicates && result.includes(text)) continue;
    result.push(text);
  }
  return result;
}

/** A query-string boolean as Marshal reads it: True/true/1 or False/false/0; absent is false. Throws otherwise. */
export function parseBoolean(text: string | undefined): boolean {
  if (text === undefined) return false;
  if (text === 'True' || text === 'true' || text === '1') return true;
  if (text === 'False' || text === 'false' || text === '0') return false;
  throw new BadRequest(`drop_duplicates: expected True/true/1 or False/false/0, got ${JSON.stringify(text)}`);
}

export class BadRequest extends Error {}

/** A server process tells the runner its port on stdout and exits on SIGTERM/SIGINT or when stdin closes. */
export function announce(port: number, stop: () => void): void {
  process.stdout.write(`LISTENING ${port}\n`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, stop);
}

export const bodyLimit = 1024 * 1024;
