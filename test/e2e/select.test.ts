import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it, afterAll } from 'vitest';
import { closeClient, createClient } from '@marshal/client';
import { IMyService } from '../../examples/my-service/contract.js';
import { MyService } from '../../examples/my-service/my-service.js';
import { serveForTests } from '../helpers/serve.js';

const run = promisify(execFile);
const seed = [
  { id: 'test', text: 'example 1' },
  { id: 'test', text: 'example 2' },
  { id: 'test', text: 'example 1' },
  { id: 'test_1', text: 'example 3' },
];

describe('the seed example, IMyService.select', () => {
  const served = serveForTests({ services: [new MyService()] });
  const clients: object[] = [];
  const client = () => {
    const api = createClient(IMyService, served.url);
    clients.push(api);
    return api;
  };
  afterAll(async () => {
    await Promise.all(clients.map(closeClient));
  });

  it('answers the client as the local object would', async () => {
    const api = client();
    expect(api).toBeInstanceOf(IMyService);
    expect(await api.select('test', seed, true)).toEqual(['example 1', 'example 2']);
    expect(await api.select('test', seed, false)).toEqual(['example 1', 'example 2', 'example 1']);
    expect(await api.select('test', seed)).toEqual(await new MyService().select('test', seed));
    expect(await api.select('test_1', seed, null)).toEqual(['example 3']);
  });

  it('carries ids that need percent-encoding in the path', async () => {
    const data = [{ id: 'a/b ?&#%+', text: 'odd' }];
    expect(await client().select('a/b ?&#%+', data, true)).toEqual(['odd']);
  });

  it('answers the exact curl call of the reference README', async () => {
    const body = JSON.stringify({ data: seed });
    const { stdout } = await run('curl', [
      '-sS', '-X', 'POST', `${served.url}/my-service/select/test/?drop_duplicates=True`,
      '-H', 'content-type: application/json', '-d', body,
    ]);
    expect(JSON.parse(stdout)).toEqual(['example 1', 'example 2']);
  });

  it.each([
    ['True', ['example 1', 'example 2']],
    ['true', ['example 1', 'example 2']],
    ['1', ['example 1', 'example 2']],
    ['False', ['example 1', 'example 2', 'example 1']],
    ['false', ['example 1', 'example 2', 'example 1']],
    ['0', ['example 1', 'example 2', 'example 1']],
  ])('reads the boolean %s from the query string', async (text, expected) => {
    const response = await fetch(`${served.url}/my-service/select/test?drop_duplicates=${text}`, {
      method: 'POST',
      body: JSON.stringify({ data: seed }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(expected);
  });

  it('answers the heartbeat paths', async () => {
    for (const path of ['/', '/heartbeat']) {
      const response = await fetch(served.url + path);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('OK');
    }
  });
});
