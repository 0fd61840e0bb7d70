/**
 * Nothing an implementation throws or returns stops the server: every nasty value, thrown
 * synchronously, rejected, hidden in a thenable, or returned as the result, gives a bounded 500
 * with the JSON body, and the next call is served. The process surviving is part of the check: an
 * unhandled rejection or an exception out of the server would fail this file.
 */
import { describe, expect, it } from 'vitest';
import { Int, Json, type JsonValue, MarshalError, endpoint, service, unimplemented } from '@marshal/core';
import { serveForTests } from '../helpers/serve.js';
import { post } from '../helpers/http.js';

const throwing = (): never => {
  throw new Error('a trap');
};
const everyTrap: ProxyHandler<object> = {
  get: throwing, has: throwing, ownKeys: throwing, getPrototypeOf: throwing, getOwnPropertyDescriptor: throwing,
  set: throwing, defineProperty: throwing, deleteProperty: throwing, apply: throwing, construct: throwing,
  isExtensible: throwing, preventExtensions: throwing, setPrototypeOf: throwing,
};
function withThrowingGetters<T extends object>(target: T, ...keys: string[]): T {
  for (const key of keys) Object.defineProperty(target, key, { get: throwing, configurable: true });
  return target;
}

/** The values, made fresh for each call. */
const nasty: [string, () => unknown][] = [
  ['a string', () => 'boom'],
  ['undefined', () => undefined],
  ['null', () => null],
  ['a number', () => 42],
  ['a symbol', () => Symbol('s')],
  ['a BigInt', () => 10n],
  ['a function', () => () => 1],
  ['an object whose toString and valueOf throw', () => ({ toString: throwing, valueOf: throwing })],
  ['an object whose Symbol.toPrimitive throws', () => ({ [Symbol.toPrimitive]: throwing })],
  ['an Error whose message, name and stack getters throw', () => withThrowingGetters(new Error(), 'message', 'name', 'stack')],
  ['a Proxy whose every trap throws', () => new Proxy({}, everyTrap)],
  ['a Proxy of an Error whose every trap throws', () => new Proxy(new Error('x'), everyTrap)],
  ['a Proxy of a function whose every trap throws', () => new Proxy(() => 1, everyTrap)],
  ['a MarshalError whose message getter throws', () => withThrowingGetters(new MarshalError('MARSHAL_ERR_CONFLICT', 'x'), 'message')],
  ['a MarshalError whose details getter throws', () => withThrowingGetters(new MarshalError('MARSHAL_ERR_CONFLICT', 'x'), 'details')],
  ['a MarshalError with a cyclic data value', () => { const data: Record<string, unknown> = {}; data.self = data; return new MarshalError('MARSHAL_ERR_CONFLICT', 'x', { data }); }],
  ['a MarshalError with a 1 MB message and 10,000 issues', () => new MarshalError('MARSHAL_ERR_INVALID', 'm'.repeat(1_000_000), { issues: Array.from({ length: 10_000 }, (_, i) => ({ path: `p${'x'.repeat(1000)}${i}`, message: 'y'.repeat(1000) })) })],
  ['an Error with a 10 MB message', () => new Error('z'.repeat(10_000_000))],
  ['an object with a null prototype', () => Object.freeze(Object.create(null))],
  ['a revoked Proxy', () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; }],
];

/** How each value reaches the server. */
const ways = ['thrown', 'rejected', 'thenable whose then throws it', 'thenable with a throwing then getter', 'returned'] as const;
type Way = (typeof ways)[number];

@service({ name: 'nasty' })
class INasty {
  @endpoint({ params: [['which', Int], ['way', String]], returns: Json })
  run(which: number, way: string): Promise<JsonValue> { return unimplemented(); }

  @endpoint({ params: [], returns: String })
  ping(): Promise<string> { return unimplemented(); }
}

class Nasty extends INasty {
  override run(which: number, way: string): Promise<JsonValue> {
    const value = nasty[which][1]();
    switch (way as Way) {
      case 'thrown':
        throw value;
      case 'rejected':
        return Promise.reject(value);
      case 'thenable whose then throws it':
        return { then: () => { throw value; } } as unknown as Promise<JsonValue>;
      case 'thenable with a throwing then getter':
        return withThrowingGetters({}, 'then') as Promise<JsonValue>;
      case 'returned':
        return value as Promise<JsonValue>;
    }
  }

  override async ping() {
    return 'pong';
  }
}

const cases = nasty.flatMap(([label], which) => ways.map((way) => [label, way, which] as const));

describe.each([false, true])('with debug %s', (debug) => {
  const served = serveForTests({ services: [new Nasty()], debug });

  it.each(cases)('%s, %s: a bounded 500, and the server goes on', async (_label, way, which) => {
    const response = await fetch(`${served.url}/nasty/run/${which}/${encodeURIComponent(way)}`, { method: 'POST' });
    const text = await response.text();
    // A returned value that is JSON after all (a string, a number, null) is a fine result.
    if (response.status !== 200) {
      // 500, or the status of a MarshalError that could be read (409 CONFLICT, 422 INVALID).
      expect([409, 422, 500]).toContain(response.status);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(text.length).toBeLessThanOrEqual(16 * 1024);
      const body = JSON.parse(text) as { code: string; message: string };
      expect(typeof body.message).toBe('string');
      expect(body.code).toMatch(/^MARSHAL_ERR_(HANDLER|RESULT_ENCODING|CONFLICT|INVALID)$/);
    }
    expect((await post(`${served.url}/nasty/ping`)).body).toBe('pong');
  });
});
