/**
 * Json and JsonObject values refuse an own `__proto__`, `constructor` or `prototype` key, as
 * recordOf(…) does: a 400 naming the path, with the same message, so no implementation is handed
 * an object whose keys could reach a prototype when copied.
 */
import { describe, expect, it } from 'vitest';
import { Json, JsonObject, type JsonValue, Void, endpoint, recordOf, service, unimplemented } from '@marshal/core';
import { MyService } from '../../examples/my-service/my-service.js';
import { serveForTests } from '../helpers/serve.js';
import { expectError, issue, post } from '../helpers/http.js';

@service()
class IKeys {
  @endpoint({ params: [['value', Json]], returns: Void })
  json(value: JsonValue): Promise<void> { return unimplemented(); }

  @endpoint({ params: [['value', JsonObject]], returns: Void })
  object(value: JsonObject): Promise<void> { return unimplemented(); }

  @endpoint({ params: [['value', recordOf(Json)]], returns: Void })
  record(value: Record<string, JsonValue>): Promise<void> { return unimplemented(); }
}

/** Counts the calls that got through: none may. */
const reached: unknown[] = [];
class Keys extends IKeys {
  override async json(value: JsonValue) { reached.push(value); }
  override async object(value: JsonObject) { reached.push(value); }
  override async record(value: Record<string, JsonValue>) { reached.push(value); }
}

const keys = ['__proto__', 'constructor', 'prototype'];
const refusal = (key: string) => `the key "${key}" is not allowed`;

describe('prototype keys in Json values', () => {
  const served = serveForTests({ services: [new MyService(), new Keys()] });

  it('the example select refuses {"data":[{"__proto__":{"x":1}}]} with a 400 naming the path', async () => {
    const answer = await post(`${served.url}/my-service/select/test`, '{"data":[{"__proto__":{"x":1}}]}', true);
    expectError(answer, 400, {
      code: 'MARSHAL_ERR_BAD_PARAMETER',
      message: `parameter 'data': [0].__proto__: ${refusal('__proto__')}`,
      parameter: 'data',
      issues: [issue('data[0].__proto__', refusal('__proto__'))],
    });
    expect((answer.body as { issues: { segments: unknown[] }[] }).issues[0].segments).toEqual(['data', 0, '__proto__']);
  });

  it.each(keys.flatMap((key) => ['json', 'object', 'record'].map((endpointName) => [key, endpointName])))(
    'a key %s is refused by %s the same way, at the top and deep inside',
    async (key, endpointName) => {
      for (const [text, path] of [
        [`{"value":{"ok":1,${JSON.stringify(key)}:{"polluted":true}}}`, `value.${key}`],
        [`{"value":{"list":[0,{"deep":{${JSON.stringify(key)}:1}}]}}`, `value.list[1].deep.${key}`],
      ]) {
        expectError(await post(`${served.url}/keys/${endpointName}`, text, true), 400, {
          code: 'MARSHAL_ERR_BAD_PARAMETER',
          message: `parameter 'value': ${path.slice('value.'.length)}: ${refusal(key)}`,
          parameter: 'value',
          issues: [issue(path, refusal(key))],
        });
      }
      expect(reached).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('select refuses constructor and prototype keys too, and still answers a good call', async () => {
    for (const key of ['constructor', 'prototype']) {
      const answer = await post(`${served.url}/my-service/select/test`, `{"data":[{"id":"test","text":"a"},{${JSON.stringify(key)}:{"x":1}}]}`, true);
      expect(answer.status).toBe(400);
      expect((answer.body as { issues: unknown[] }).issues).toEqual([issue(`data[1].${key}`, refusal(key))]);
    }
    const good = await post(`${served.url}/my-service/select/test`, { data: [{ id: 'test', text: 'a', note: '__proto__' }] });
    expect({ status: good.status, body: good.body }).toEqual({ status: 200, body: ['a'] });
  });
});
