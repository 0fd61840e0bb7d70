// The raw and Fastify servers run MyService's own logic, synchronously (they have no reason to
// make it async; MyService.select is async because its contract returns a Promise).
export { selectTexts as select } from '../../examples/my-service/select-texts.js';

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

/** The bearer token of marshal-guarded; the load generator sends it to every server. */
export const benchToken = 'bench-token';
