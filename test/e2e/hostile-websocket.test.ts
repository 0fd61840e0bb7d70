/**
 * Every WebSocket endpoint of the examples under hostile frames, generated: for each endpoint, each
 * hostile first frame (not JSON, not UTF-8, not an object, a frame type out of order, args that are
 * not an object, prototype keys, deep nesting, a string near the message limit), and each JSON
 * parameter in turn given each hostile value; and hostile text in each path segment. Every call
 * must end in one error frame with a 4xx status and a close code for the client's fault (1007,
 * 1008, 1009), or be refused at the handshake with a 4xx, never a 5xx; no prototype may change;
 * and a good call right after must still get its answer. A call whose arguments fit waits for its
 * files or stream until the idle timeout ends it (a 408 error frame).
 */
import { describe, expect, it } from 'vitest';
import { type EndpointModel, serviceModelOf } from '@marshal/core';
import { exampleServices } from '../../examples/services.js';
import { serveForTests } from '../helpers/serve.js';
import { RawCall, texts, webSocketUrl } from '../helpers/raw-web-socket.js';

const services = exampleServices();
const endpoints: EndpointModel[] = services
  .map((implementation) => serviceModelOf(Object.getPrototypeOf(implementation.constructor)))
  .flatMap((model) => model.endpoints.filter((endpoint) => endpoint.transport === 'websocket'));

/** A JSON object with `key` as an own key, even `__proto__`. */
function objectWith(key: string, value: unknown): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
const firstFrames: readonly (readonly [string, string | Buffer])[] = [
  ['not JSON', '{"type":'],
  ['not UTF-8', Buffer.from([0x7b, 0xc3, 0x28, 0x7d])],
  ['null', 'null'],
  ['a string', '"args"'],
  ['an array', '[{"type":"args"}]'],
  ['no type', '{}'],
  ['type __proto__', '{"type":"__proto__"}'],
  ['end first', '{"type":"end"}'],
  ['an item first', '{"type":"item","value":1}'],
  ['a file first', '{"type":"file","name":"audio"}'],
  ['args: json null', '{"type":"args","json":null}'],
  ['args: json an array', '{"type":"args","json":[]}'],
  ['args: json a string', '{"type":"args","json":"x"}'],
  ['args: __proto__', JSON.stringify({ type: 'args', json: objectWith('__proto__', { polluted: true }) })],
  ['args: constructor', JSON.stringify({ type: 'args', json: { constructor: { prototype: { polluted: true } } } })],
  ['args: deep nesting', `{"type":"args","json":{"x":${deep}}}`],
  ['args: 900 kB string', JSON.stringify({ type: 'args', json: { x: 'x'.repeat(900_000) } })],
];

const hostileValues: readonly (readonly [string, unknown])[] = [
  ['{}', {}],
  ['[]', []],
  ['null', null],
  ['-1', -1],
  ['1e308', 1e308],
  ['"constructor"', 'constructor'],
  ['{"toString":1}', { toString: 1 }],
  ['__proto__ object', objectWith('__proto__', { polluted: true })],
  ['deep array', JSON.parse(`${'['.repeat(200)}${']'.repeat(200)}`)],
];

const hostileSegments = ['%00', '%ZZ', '..', '%2F', 'x'.repeat(4000), '%F0%9F%98%80', 'True', '-1', '1e309'];

/** The URL of an endpoint, with `segment` for each path parameter. */
function pathOf(endpoint: EndpointModel, segment: string): string {
  return endpoint.route + endpoint.pathParams.map(() => `/${segment}`).join('');
}

interface Case {
  readonly name: string;
  readonly path: string;
  readonly frames: readonly (string | Buffer)[];
}

const cases: Case[] = endpoints.flatMap((endpoint) => {
  const path = pathOf(endpoint, 'en');
  const label = `${endpoint.className}.${endpoint.methodName}`;
  return [
    ...firstFrames.map(([name, frame]) => ({ name: `${label}: ${name}`, path, frames: [frame] })),
    ...endpoint.jsonParams.flatMap((param) =>
      hostileValues.map(([name, value]) => ({ name: `${label}(${param.name} = ${name})`, path, frames: [JSON.stringify({ type: 'args', json: objectWith(param.name, value) })] })),
    ),
  ];
});

describe('hostile frames to every WebSocket endpoint of the examples', () => {
  // A call whose arguments fit waits for its files or stream: the idle timeout ends it, with a 408.
  const served = serveForTests({ services, wsIdleTimeoutMs: 200 });

  it('has WebSocket endpoints to try, and cases for each', () => {
    expect(endpoints.length).toBeGreaterThanOrEqual(6);
    expect(cases.length).toBeGreaterThan(endpoints.length * firstFrames.length);
  });

  it.each(cases)('$name: an error frame for the client, and a close', async ({ path, frames }) => {
    const { messages, close, refused } = await new RawCall(webSocketUrl(served.url, path), frames).outcome;
    expect(refused).toBeUndefined();
    const received = texts(messages);
    const error = received.find((frame) => frame.type === 'error');
    // A value that fits is answered as usual; one that does not, by an error frame.
    if (error === undefined) {
      expect(close?.code).toBe(1000);
      return;
    }
    expect(error.status, JSON.stringify(error)).toBeGreaterThanOrEqual(400);
    expect(error.status, JSON.stringify(error)).toBeLessThan(500);
    expect(JSON.stringify(error).length).toBeLessThan(16 * 1024 + 64);
    expect([1007, 1008, 1009]).toContain(close?.code);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(endpoints.filter((endpoint) => endpoint.pathParams.length > 0).flatMap((endpoint) => hostileSegments.map((segment) => ({ endpoint, segment }))))(
    '$endpoint.methodName with the path segment $segment: a 4xx at the handshake, or the call',
    async ({ endpoint, segment }) => {
      const { refused, messages } = await new RawCall(webSocketUrl(served.url, pathOf(endpoint, segment)), ['{"type":"args"}']).outcome;
      if (refused !== undefined) {
        expect(refused.status).toBeGreaterThanOrEqual(400);
        expect(refused.status).toBeLessThan(500);
        expect(JSON.parse(refused.body)).toMatchObject({ code: expect.stringMatching(/^MARSHAL_ERR_/) });
      } else {
        for (const frame of texts(messages)) if (frame.type === 'error') expect(frame.status).toBeLessThan(500);
      }
    },
  );

  it('still answers a good call afterwards', async () => {
    const { messages, close } = await new RawCall(webSocketUrl(served.url, '/streaming-service/text-lines'), ['{"type":"args","json":{"count":2}}']).outcome;
    expect(texts(messages)).toEqual([{ type: 'stream' }, { type: 'item', value: 'line:0' }, { type: 'item', value: 'line:1' }, { type: 'end' }]);
    expect(close?.code).toBe(1000);
    expect(served.log.filter((entry) => entry.level === 'error')).toEqual([]);
  });
});
