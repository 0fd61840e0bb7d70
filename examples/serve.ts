/**
 * Starts a server hosting every example service:
 *   pnpm run serve:examples -- --port 14000
 */
import { parseArgs } from 'node:util';
import { Server } from '@marshal/server';
import { exampleServices } from './services.js';
import { demoIngestKey, ingestKeys } from './telemetry/ingest-keys.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { port: { type: 'string', default: '14000' }, host: { type: 'string', default: '127.0.0.1' } },
});

const server = await new Server({
  services: exampleServices(),
  middleware: [ingestKeys({ [demoIngestKey]: { id: 'demo-daemon' } })],
  port: Number(values.port),
  host: values.host,
}).start();
console.log(`Marshal examples listening on ${server.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.stop().then(() => process.exit(0)));
}
