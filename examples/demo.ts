/**
 * The demo: starts the example server in its own process, calls it through the TypeScript
 * client and through plain curl, and prints what comes back.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { closeClient, createClient } from '@marshal/client';
import { Fork } from '@marshal/server';
import { IMyService } from './my-service/contract.js';

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
} finally {
  await fork.stop();
}
