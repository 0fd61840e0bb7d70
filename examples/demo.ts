/**
 * The demo: starts the example server in its own process, calls it through the TypeScript
 * client and through plain curl, and prints what comes back.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { closeClient, createClient } from '@marshal/client';
import { Fork } from '@marshal/testing';
import { IMyService } from './my-service/contract.js';
import { ITelemetry } from './telemetry/contract.js';
import { IngestBatch, RawEvent, TokenUsage } from './telemetry/models.js';

const data = [
  { id: 'test', text: 'example 1' },
  { id: 'test', text: 'example 2' },
  { id: 'test', text: 'example 1' },
  { id: 'test_1', text: 'example 3' },
];

const fork = await Fork.start(fileURLToPath(new URL('./serve.ts', import.meta.url)), { args: ['--port', '0'] });
try {
  const api = createClient(IMyService, fork.url);
  console.log(`\nclient: api.select('test', data, true)`);
  console.log('     →', JSON.stringify(await api.select('test', data, true)));
  await closeClient(api);

  const url = `${fork.url}/my-service/select/test/?drop_duplicates=True`;
  console.log(`\ncurl -X POST '${url}' -H 'content-type: application/json' -d '{"data":[…]}'`);
  const curl = (target: string, body: string) =>
    execFileSync('curl', ['-sS', '-X', 'POST', target, '-H', 'content-type: application/json', '-d', body], { encoding: 'utf8' });
  console.log('     →', curl(url, JSON.stringify({ data })));

  const badUrl = `${fork.url}/my-service/select/test?drop_duplicates=maybe`;
  console.log(`\ncurl -X POST '${badUrl}' -d '{"data":[]}'   (a bad boolean)`);
  console.log('     →', curl(badUrl, '{"data":[]}'));

  // DTO instances with dates, enums and nested classes, written as snake_case JSON on the wire.
  const telemetry = createClient(ITelemetry, fork.url);
  const event = Object.assign(new RawEvent(), {
    sourceEventId: 'e1',
    ts: new Date('2026-05-01T10:00:00Z'),
    agent: 'demo',
    provider: 'openai',
    sessionId: 's1',
    model: 'gpt-x',
    tokens: Object.assign(new TokenUsage(), { input: 800, output: 120 }),
  });
  const batch = Object.assign(new IngestBatch(), { batchId: 'b1', deviceId: 'laptop', daemonVersion: 'demo/1', events: [event] });
  console.log(`\nclient: telemetry.ingest(batch)   (an IngestBatch holding one RawEvent)`);
  console.log('     →', await telemetry.ingest(batch));
  await closeClient(telemetry);

  const usageUrl = `${fork.url}/telemetry/usage/s1`;
  console.log(`\ncurl '${usageUrl}'`);
  console.log('     →', execFileSync('curl', ['-sS', usageUrl], { encoding: 'utf8' }));

  // What a client in another language might send: no source_event_id, an unknown kind, a negative count.
  const badEvent = { ts: '2026-05-01T10:00:00Z', kind: 'llm', agent: 'demo', provider: 'openai', session_id: 's1', tokens: { input: -1, output: 0 } };
  const badBatch = JSON.stringify({ batch: { batch_id: 'b2', device_id: 'laptop', daemon_version: 'demo/1', tool_calls: [], events: [badEvent] } });
  console.log(`\ncurl -X POST '${fork.url}/telemetry/ingest' -d '…'   (a batch with three problems)`);
  console.log('     →', curl(`${fork.url}/telemetry/ingest`, badBatch));
} finally {
  await fork.stop();
}
