/**
 * The example services under hostile input, over real HTTP. For every example endpoint, cases are
 * generated from one good call: each value of its JSON body in turn replaced by a hostile value
 * (`{}`, `[]`, `{"toString":1}`, `"__proto__"`, a number where a string goes, a string near the body
 * limit…), hostile keys added to each of its objects, and hostile text in each path segment and
 * query value. Every answer must be a 2xx or a 4xx with a JSON error body, never a 5xx; no prototype
 * may change; and a good call to the same service right after must still get the right answer.
 * Then the examples' own rules: texts that are not strings, metric names such as `constructor`,
 * thread ids a client picks, and the bounds on what each in-memory service keeps.
 */
import { describe, expect, it } from 'vitest';
import { serviceModelOf } from '@marshal/core';
import { exampleServices } from '../../examples/services.js';
import { ExperimentTracker, defaultTrackerLimits } from '../../examples/experiment-tracker/experiment-tracker.js';
import { AgentServer, defaultAgentServerLimits } from '../../examples/agent-server/agent-server.js';
import { Telemetry, defaultTelemetryLimits } from '../../examples/telemetry/telemetry.js';
import { maxBatchEvents, maxBatchToolCalls } from '../../examples/telemetry/models.js';
import { serveForTests } from '../helpers/serve.js';
import { type Answer, call, post } from '../helpers/http.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonPath = readonly (string | number)[];

/** The server's default body limit (1 MiB); the long strings stay under it with room for the rest of a body. */
const bodyLimit = 1024 * 1024;

/** A JSON object with `key` as an own key, even `__proto__` (an object literal would set the prototype instead). */
function objectWith(entries: readonly (readonly [string, Json])[]): { [key: string]: Json } {
  const object: { [key: string]: Json } = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

const pollution = { polluted: true };
interface HostileValue {
  readonly name: string;
  readonly value: Json;
  /**
   * `anywhere`: at every place of a body. `text`: where the good call has a string (ids, names: what
   * the implementations key their state by), and anywhere inside a Json/JsonObject parameter; the
   * typed places around them are the serializer's to check, which its own tests do in depth.
   */
  readonly at: 'anywhere' | 'text';
}
const nearBodyLimit = bodyLimit - 16 * 1024;
const hostileValues: readonly HostileValue[] = [
  { name: '{}', value: {}, at: 'anywhere' },
  { name: '[]', value: [], at: 'anywhere' },
  { name: '{"toString":1}', value: { toString: 1 }, at: 'anywhere' },
  { name: '{"__proto__":{"polluted":true}}', value: objectWith([['__proto__', pollution]]), at: 'anywhere' },
  { name: '"constructor"', value: 'constructor', at: 'anywhere' },
  { name: '-1', value: -1, at: 'anywhere' },
  { name: '1.5', value: 1.5, at: 'anywhere' },
  { name: '1e308', value: 1e308, at: 'anywhere' },
  { name: '2^53 - 1', value: Number.MAX_SAFE_INTEGER, at: 'anywhere' },
  { name: 'true', value: true, at: 'anywhere' },
  { name: 'null', value: null, at: 'anywhere' },
  { name: '{"valueOf":{}}', value: { valueOf: {} }, at: 'text' },
  { name: '{"toString":{},"valueOf":{},"toJSON":1}', value: { toString: {}, valueOf: {}, toJSON: 1 }, at: 'text' },
  { name: '{"hasOwnProperty":1}', value: { hasOwnProperty: 1 }, at: 'text' },
  { name: '{"constructor":{"prototype":{"polluted":true}}}', value: { constructor: { prototype: pollution } }, at: 'text' },
  { name: '"__proto__"', value: '__proto__', at: 'text' },
  { name: '"prototype"', value: 'prototype', at: 'text' },
  { name: '"hasOwnProperty"', value: 'hasOwnProperty', at: 'text' },
  { name: '"toString"', value: 'toString', at: 'text' },
  { name: '""', value: '', at: 'text' },
  { name: '0', value: 0, at: 'text' },
  { name: 'nested arrays', value: [[[[[[[[[[]]]]]]]]]], at: 'text' },
  { name: '[{},[],null,"x",1]', value: [{}, [], null, 'x', 1], at: 'text' },
  { name: 'an ASCII string near the body limit', value: 'x'.repeat(nearBodyLimit), at: 'text' },
  { name: 'a non-ASCII string near the body limit', value: '\u{1F600}'.repeat(nearBodyLimit / 4), at: 'text' },
];
const hostileKeys = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'];
/** Text for path segments and query values; the longest is past node:http's 16 KiB of request line and headers (a 431). */
const hostileTexts: readonly string[] = [
  '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf',
  '{}', '[]', '{"toString":1}', 'null', 'undefined', '0', '-1', '1e308', ' ', '\u00e9'.repeat(1000), 'x'.repeat(8000), 'x'.repeat(20_000),
];

/** Every place in a JSON value, the value itself (the empty path) included. */
function* placesIn(value: Json, path: JsonPath = []): Generator<JsonPath> {
  yield path;
  if (Array.isArray(value)) for (const [index, item] of value.entries()) yield* placesIn(item, [...path, index]);
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) yield* placesIn(item, [...path, key]);
}

/** `value` with the thing at `path` replaced by what `change` makes of it. */
function changedAt(value: Json, path: JsonPath, change: (old: Json) => Json): Json {
  if (path.length === 0) return change(value);
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? changedAt(item, rest, change) : item));
  const object = value as { [key: string]: Json };
  return objectWith(Object.keys(object).map((key) => [key, key === head ? changedAt(object[key]!, rest, change) : object[key]!]));
}

const pathText = (path: JsonPath): string =>
  path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('') || '(the whole body)';

/** One good call of an endpoint, from which the hostile cases are made. */
interface GoodCall {
  readonly service: string;
  readonly endpoint: string;
  readonly method: 'GET' | 'POST';
  readonly segments: readonly string[];
  readonly query: Readonly<Record<string, string>>;
  readonly body?: Json;
  /** The places of the body that are Json/JsonObject parameters or fields, where any JSON may arrive. */
  readonly jsonRegions: readonly JsonPath[];
  /** What a 2xx answer of this endpoint must look like, whatever was sent. */
  readonly fits: (body: unknown) => boolean;
}

interface HostileCase {
  readonly name: string;
  readonly service: string;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: () => string;
  readonly fits: (body: unknown) => boolean;
}

function urlOf(good: GoodCall, segments: readonly string[], query: Readonly<Record<string, string>>): string {
  const path = [good.service, good.endpoint, ...segments].map(encodeURIComponent).join('/');
  const search = Object.entries(query).map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
  return `/${path}${search === '' ? '' : `?${search}`}`;
}

function* hostileCases(good: GoodCall): Generator<HostileCase> {
  const label = `${good.service}.${good.endpoint}`;
  const url = urlOf(good, good.segments, good.query);
  const base = { service: good.service, method: good.method, fits: good.fits };
  const body = good.body;
  if (body !== undefined) {
    for (const path of placesIn(body)) {
      const here = valueAt(body, path);
      const inJson = good.jsonRegions.some((region) => region.length <= path.length && region.every((part, i) => path[i] === part));
      for (const { name, value, at } of hostileValues) {
        if (at === 'text' && !inJson && typeof here !== 'string') continue;
        // A string near the body limit goes where a string goes; elsewhere it costs a megabyte and tests nothing new.
        if (typeof value === 'string' && value.length > 1000 && typeof here !== 'string') continue;
        yield { ...base, name: `${label}: ${pathText(path)} = ${name}`, url, body: () => JSON.stringify(changedAt(body, path, () => value)) };
      }
      if (isObject(here)) {
        for (const key of hostileKeys) {
          const add = (old: Json) => objectWith([...Object.entries(old as object), [key, pollution]]);
          yield { ...base, name: `${label}: ${pathText(path)} with a key "${key}"`, url, body: () => JSON.stringify(changedAt(body, path, add)) };
        }
      }
    }
  }
  const sameBody = body === undefined ? undefined : () => JSON.stringify(body);
  for (const [index] of good.segments.entries()) {
    for (const text of hostileTexts) {
      const segments = good.segments.map((segment, i) => (i === index ? text : segment));
      yield { ...base, name: `${label}: path segment ${index} = ${JSON.stringify(text.slice(0, 40))}`, url: urlOf(good, segments, good.query), body: sameBody };
    }
  }
  for (const name of Object.keys(good.query)) {
    for (const text of hostileTexts) {
      yield { ...base, name: `${label}: query ${name} = ${JSON.stringify(text.slice(0, 40))}`, url: urlOf(good, good.segments, { ...good.query, [name]: text }), body: sameBody };
    }
  }
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function valueAt(value: Json, path: JsonPath): Json | undefined {
  let here: Json | undefined = value;
  for (const part of path) here = (here as { [key: string]: Json } | Json[] | undefined)?.[part as never];
  return here;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const seedEvent = {
  source_event_id: 'hostile-e1',
  ts: '2026-05-01T10:00:00Z',
  kind: 'llm_call',
  agent: 'sdk',
  provider: 'openai',
  session_id: 'hostile-session',
  tokens: { input: 10, output: 2, cache_read: 1 },
  model: 'gpt-x',
  cwd: '/home/u',
  git: { repo: 'acme/app', branch: 'main', commit: 'abc' },
  duration_ms: 5,
  billing: 'api',
  content_excerpt: 'hello',
};
const seedToolCall = {
  external_call_id: 'hostile-c1',
  session_id: 'hostile-session',
  source_event_id: 'hostile-e1',
  agent: 'sdk',
  server: 'builtin',
  name: 'shell',
  call_index: 0,
  started_at: '2026-05-01T10:00:01Z',
  status: 'ok',
  args_hash: 'ab12',
  args_bytes: 1,
  result_bytes: 2,
  model: 'gpt-x',
  command_families: ['git'],
};

const goodCalls: readonly GoodCall[] = [
  {
    service: 'my-service',
    endpoint: 'select',
    method: 'POST',
    segments: ['test'],
    query: { drop_duplicates: 'true' },
    jsonRegions: [['data']],
    body: { data: [{ id: 'test', text: 'example 1' }, { id: 'test', text: 'example 1', extra: { a: [1, 'b'] } }, { id: 'other', text: 'example 3' }] },
    fits: (body) => Array.isArray(body) && body.every(isString),
  },
  {
    service: 'experiment-tracker',
    endpoint: 'ingest',
    method: 'POST',
    segments: [],
    query: {},
    jsonRegions: [['requests', 1, 'context']],
    body: {
      requests: [
        { type: 'create_run', run_id: 'hostile-run', experiment: 'e' },
        { type: 'log_metric', run_id: 'hostile-run', name: 'loss', value: 0.5, step: 1, context: { k: 'v', list: [1, { a: null }] }, timestamp: '2026-03-01T10:00:00Z' },
        { type: 'finish_run', run_id: 'hostile-run' },
      ],
    },
    fits: (body) => Number.isInteger(body),
  },
  {
    service: 'experiment-tracker',
    endpoint: 'run',
    method: 'GET',
    jsonRegions: [],
    segments: ['hostile-run'],
    query: {},
    fits: (body) => isRecord(body) && isString(body.run_id) && Array.isArray(body.metrics) && isRecord(body.last_values),
  },
  {
    service: 'agent-server',
    endpoint: 'inject',
    method: 'POST',
    segments: [],
    query: {},
    jsonRegions: [['request', 'payload']],
    body: { request: { to: 'agent', payload: { n: 1, list: [1, 'two', { three: 3 }] }, threadId: 'hostile-thread' } },
    fits: (body) => isRecord(body) && isString(body.threadId) && isString(body.messageId),
  },
  {
    service: 'agent-server',
    endpoint: 'thread',
    method: 'GET',
    jsonRegions: [],
    segments: ['hostile-thread'],
    query: {},
    fits: (body) => isRecord(body) && isString(body.id) && Array.isArray(body.participants),
  },
  {
    service: 'agent-server',
    endpoint: 'threads',
    method: 'GET',
    jsonRegions: [],
    segments: [],
    query: { status: 'active' },
    fits: (body) => Array.isArray(body) && body.every((thread) => isRecord(thread) && isString(thread.id)),
  },
  {
    service: 'telemetry',
    endpoint: 'ingest',
    method: 'POST',
    segments: [],
    query: {},
    jsonRegions: [],
    body: { batch: { batch_id: 'b1', device_id: 'd1', daemon_version: 'sdk/1', events: [seedEvent], tool_calls: [seedToolCall] } },
    fits: (body) => isRecord(body) && Number.isInteger(body.accepted) && Number.isInteger(body.duplicates) && Number.isInteger(body.tool_calls),
  },
  {
    service: 'telemetry',
    endpoint: 'usage',
    method: 'GET',
    jsonRegions: [],
    segments: ['hostile-session'],
    query: { since: '2026-01-01T00:00:00Z' },
    fits: (body) => isRecord(body) && isString(body.session_id) && Number.isInteger(body.events) && Number.isInteger(body.input_tokens),
  },
];

const cases = goodCalls.flatMap((good) => [...hostileCases(good)]);

/** A 2xx whose body fits the endpoint, or a 4xx with a Marshal error body; never a 5xx. */
function expectHandled(answer: Answer, fits: (body: unknown) => boolean): void {
  const summary = { status: answer.status, body: JSON.stringify(answer.body).slice(0, 300) };
  expect(summary.status, summary.body).toBeGreaterThanOrEqual(200);
  expect(summary.status, summary.body).toBeLessThan(500);
  expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
  if (answer.status < 300) {
    expect(fits(answer.body), summary.body).toBe(true);
  } else {
    expect(summary.status, summary.body).toBeGreaterThanOrEqual(400);
    expect(answer.body).toMatchObject({ code: expect.stringMatching(/^MARSHAL_ERR_[A-Z_]+$/), message: expect.any(String) });
  }
}

function expectNoPollution(): void {
  for (const prototype of [Object.prototype, Array.prototype, Function.prototype, String.prototype]) {
    expect(Object.getOwnPropertyNames(prototype)).not.toContain('polluted');
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

let followUps = 0;

/** A good call to each service, checked against the exact answer it must give. */
const followUp: Record<string, (url: string) => Promise<void>> = {
  'my-service': async (url) => {
    const data = [
      { id: 'test', text: 'example 1' },
      { id: 'test', text: { toString: 1 } },
      { id: 'test', text: 'example 2' },
      { id: 'test', text: 'example 1' },
      { id: 'test_1', text: 'example 3' },
    ];
    const answer = await post(`${url}/my-service/select/test?drop_duplicates=true`, { data });
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: ['example 1', 'example 2'] });
  },
  'experiment-tracker': async (url) => {
    const runId = `follow-up-${++followUps}`;
    const metric = (name: string, value: number, step: number) => ({ type: 'log_metric', run_id: runId, name, value, step, timestamp: `2026-03-01T10:00:0${step}Z` });
    const names = ['constructor', '__proto__', 'hasOwnProperty', 'loss'];
    const ingested = await post(`${url}/experiment-tracker/ingest`, {
      requests: [{ type: 'create_run', run_id: runId }, ...names.map((name, i) => metric(name, i + 0.5, i + 1)), { type: 'finish_run', run_id: runId }],
    });
    expect({ status: ingested.status, body: ingested.body }).toEqual({ status: 200, body: names.length + 2 });
    const run = await call(`${url}/experiment-tracker/run/${runId}`);
    expect({ status: run.status, body: run.body }).toEqual({
      status: 200,
      body: {
        run_id: runId,
        finished: true,
        last_values: { hasOwnProperty: 2.5, loss: 3.5 },
        metrics: names.map((name, i) => ({ name, value: i + 0.5, step: i + 1, timestamp: `2026-03-01T10:00:0${i + 1}.000Z` })),
        metric_count: names.length,
        last_timestamp: '2026-03-01T10:00:04.000Z',
      },
    });
  },
  'agent-server': async (url) => {
    const count = ++followUps;
    const injected = await post(`${url}/agent-server/inject`, { request: { to: 'checker', payload: { n: count }, threadId: `follow-up-${count}` } });
    expect({ status: injected.status, body: injected.body }).toEqual({ status: 200, body: { threadId: `follow-up-${count}`, messageId: expect.stringMatching(/^message-\d+$/) } });
    const thread = await call(`${url}/agent-server/thread/follow-up-${count}`);
    expect({ status: thread.status, body: thread.body }).toMatchObject({ status: 200, body: { id: `follow-up-${count}`, participants: ['checker'], messageCount: 1, status: 'active' } });
  },
  telemetry: async (url) => {
    const session = `follow-up-${++followUps}`;
    const event = { ...seedEvent, source_event_id: `${session}-e`, session_id: session };
    const toolCall = { ...seedToolCall, external_call_id: `${session}-c`, session_id: session };
    const batch = { batch_id: session, device_id: 'd', daemon_version: 'v', events: [event, event], tool_calls: [toolCall] };
    const receipt = await post(`${url}/telemetry/ingest`, { batch });
    expect({ status: receipt.status, body: receipt.body }).toEqual({ status: 200, body: { accepted: 1, duplicates: 1, tool_calls: 1 } });
    const usage = await call(`${url}/telemetry/usage/${session}`);
    expect({ status: usage.status, body: usage.body }).toEqual({
      status: 200,
      body: { session_id: session, events: 1, input_tokens: 10, output_tokens: 2, tool_calls: 1, models: ['gpt-x'], first_at: '2026-05-01T10:00:00.000Z', last_at: '2026-05-01T10:00:00.000Z' },
    });
  },
};

describe('the example services under generated hostile input', () => {
  const served = serveForTests({ services: exampleServices() });

  it('generates cases for every endpoint the example server serves', () => {
    // Each example implementation extends its contract directly.
    // The file service takes files and streams: hostile-files.test.ts sends it hostile bodies.
    // WebSocket endpoints get hostile frames in streaming-reference.test.ts.
    const served = exampleServices().flatMap((implementation) => {
      const model = serviceModelOf(Object.getPrototypeOf(implementation.constructor));
      const overHttp = model.endpoints.filter((endpoint) => endpoint.transport === 'http');
      return model.name === 'file-service' ? [] : overHttp.map((endpoint) => `${model.name}.${endpoint.name}`);
    });
    expect(goodCalls.map((good) => `${good.service}.${good.endpoint}`).sort()).toEqual(served.sort());
    expect([...new Set(cases.map((c) => c.name.split(':')[0]))].sort()).toEqual(served.sort());
    expect(cases.length).toBeGreaterThan(1000);
  });

  it.each(goodCalls.map((good) => [`${good.service}.${good.endpoint}`, good] as const))('answers the good call of %s with 200', async (_, good) => {
    const answer = await call(served.url + urlOf(good, good.segments, good.query), {
      method: good.method,
      ...(good.body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(good.body) }),
    });
    expect({ status: answer.status, fits: good.fits(answer.body) }).toEqual({ status: 200, fits: true });
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, hostile) => {
    const body = hostile.body?.();
    expect(body === undefined || Buffer.byteLength(body) <= bodyLimit, 'the case is within the body limit').toBe(true);
    const answer = await call(served.url + hostile.url, {
      method: hostile.method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body }),
    });
    expectHandled(answer, hostile.fits);
    expectNoPollution();
    await followUp[hostile.service]!(served.url);
  });
});

describe('my-service select: texts that are not strings', () => {
  const served = serveForTests({ services: exampleServices() });
  const select = (data: unknown[], dropDuplicates = true) => post(`${served.url}/my-service/select/a?drop_duplicates=${dropDuplicates}`, { data });

  it('skips records whose text is not a string, and never turns a text into one', async () => {
    const odd: Json[] = [{}, [], { toString: 1 }, { valueOf: {} }, { toString: 1, valueOf: 1 }, [1, 2], 5, 0, true, null, { a: { b: [] } }];
    const data = [{ id: 'a', text: 'first' }, ...odd.map((text) => ({ id: 'a', text })), { id: 'a' }, { id: 'a', text: 'last' }];
    for (const dropDuplicates of [true, false]) {
      const answer = await select(data, dropDuplicates);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: ['first', 'last'] });
    }
  });

  it('matches ids and texts as strings only: 5 is not "5"', async () => {
    const answer = await post(`${served.url}/my-service/select/5`, { data: [{ id: 5, text: 'number id' }, { id: '5', text: 5 }, { id: '5', text: '5' }] });
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: ['5'] });
  });

  it('drops repeats of texts that are names of Object.prototype members', async () => {
    const texts = ['__proto__', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'constructor', 'valueOf'];
    const answer = await select(texts.map((text) => ({ id: 'a', text })));
    expect(answer.body).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']);
  });

  it('drops repeats from a body near the limit in about the time it takes to keep them (not quadratic)', async () => {
    const data: { id: string; text: string }[] = [];
    for (let size = 16; size < bodyLimit - 64; size += JSON.stringify(data.at(-1)).length + 1) data.push({ id: 'a', text: String(data.length) });
    const timed = async (dropDuplicates: boolean) => {
      const started = performance.now();
      const answer = await select(data, dropDuplicates);
      expect(answer.status).toBe(200);
      expect((answer.body as string[]).length).toBe(data.length);
      return performance.now() - started;
    };
    await timed(false); // warm-up
    const keeping = await timed(false);
    const dropping = await timed(true);
    // With result.includes, dropping took over ten times as long as keeping (1.6 s against 0.12 s).
    expect(dropping).toBeLessThan(5 * keeping + 300);
  });
});

describe('experiment-tracker: any metric name, and whole batches', () => {
  const served = serveForTests({ services: exampleServices() });
  const ingest = (requests: unknown[]) => post(`${served.url}/experiment-tracker/ingest`, { requests });
  const metric = (runId: string, name: string, value: number, step = 1) => ({ type: 'log_metric', run_id: runId, name, value, step, timestamp: '2026-03-01T10:00:00Z' });
  const run = (runId: string) => call(`${served.url}/experiment-tracker/run/${encodeURIComponent(runId)}`);

  it('stores a metric named like an Object.prototype member, reads it back, and keeps the run working', async () => {
    const names = ['constructor', '__proto__', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', 'isPrototypeOf'];
    expect((await ingest([{ type: 'create_run', run_id: 'r1' }, ...names.map((name, i) => metric('r1', name, i))])).status).toBe(200);
    // Logged again: the latest value wins, and the run still takes messages.
    expect((await ingest([...names.map((name, i) => metric('r1', name, 10 + i, 2)), metric('r1', 'loss', 0.5, 2), { type: 'finish_run', run_id: 'r1' }])).status).toBe(200);
    const answer = await run('r1');
    expect(answer.status).toBe(200);
    const summary = answer.body as { metrics: { name: string; value: number }[]; last_values: Record<string, number>; metric_count: number; finished: boolean };
    expect(summary.metrics.map(({ name, value }) => [name, value])).toEqual([...names.map((name, i) => [name, 10 + i]), ['loss', 0.5]]);
    expect(summary.last_values).toEqual({ hasOwnProperty: 13, toString: 14, valueOf: 15, __defineGetter__: 16, isPrototypeOf: 17, loss: 0.5 });
    expect(summary).toMatchObject({ metric_count: 2 * names.length + 1, finished: true });
  });

  it('takes run ids named like Object.prototype members', async () => {
    for (const runId of ['__proto__', 'constructor', 'toString']) {
      expect((await ingest([{ type: 'create_run', run_id: runId }, metric(runId, runId, 1)])).status).toBe(200);
      expect((await run(runId)).body).toMatchObject({ run_id: runId, metrics: [{ name: runId, value: 1 }] });
    }
  });

  it('applies nothing of a batch that names a run that does not exist', async () => {
    const answer = await ingest([{ type: 'create_run', run_id: 'r2' }, metric('r2', 'loss', 1), metric('missing', 'loss', 1)]);
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 404, body: { code: 'MARSHAL_ERR_NOT_FOUND', message: 'no run "missing"' } });
    expect((await run('r2')).status).toBe(404);
    expect((await ingest([{ type: 'create_run', run_id: 'r2' }, metric('r2', 'loss', 1)])).body).toBe(2);
    expect((await run('r2')).body).toMatchObject({ metrics: [{ name: 'loss', value: 1 }], metric_count: 1 });
  });

  it('refuses an empty run id or overlong names, naming the field', async () => {
    const answer = await ingest([{ type: 'create_run', run_id: '' }, metric('r1', 'n'.repeat(257), 1)]);
    expect(answer.status).toBe(400);
    expect((answer.body as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual(['requests[0].run_id', 'requests[1].name']);
  });
});

describe('experiment-tracker: bounds on what it keeps', () => {
  const metric = (runId: string, name: string) => ({ type: 'log_metric', run_id: runId, name, value: 1, step: 1, timestamp: '2026-03-01T10:00:00Z' });

  describe('with the limits the example server has', () => {
    const served = serveForTests({ services: [new ExperimentTracker()] });
    const ingest = (requests: unknown[]) => post(`${served.url}/experiment-tracker/ingest`, { requests });
    const { runs, metricsPerRun } = defaultTrackerLimits;

    it('refuses a run past its limit of metric names, applying nothing of the batch', async () => {
      const names = Array.from({ length: metricsPerRun }, (_, i) => `m${i}`);
      const over = await ingest([{ type: 'create_run', run_id: 'wide' }, ...names.map((name) => metric('wide', name)), metric('wide', 'one-more')]);
      expect({ status: over.status, body: over.body }).toMatchObject({
        status: 400,
        body: {
          code: 'MARSHAL_ERR_BAD_PARAMETER',
          message: `parameter 'requests': [${metricsPerRun + 1}].name: the run "wide" already has ${metricsPerRun} metrics, the most a run may have`,
          parameter: 'requests',
          issues: [{ path: `requests[${metricsPerRun + 1}].name`, message: `the run "wide" already has ${metricsPerRun} metrics, the most a run may have` }],
        },
      });
      expect((await call(`${served.url}/experiment-tracker/run/wide`)).status).toBe(404);
      expect((await ingest([{ type: 'create_run', run_id: 'wide' }, ...names.map((name) => metric('wide', name))])).status).toBe(200);
      // A metric it has already is logged again; a new one is refused.
      expect((await ingest([metric('wide', 'm0')])).status).toBe(200);
      expect((await ingest([metric('wide', 'new')])).status).toBe(400);
      expect((await call(`${served.url}/experiment-tracker/run/wide`)).body).toMatchObject({ metric_count: metricsPerRun + 1 });
    });

    it('refuses runs past its limit, and still serves the runs it has', async () => {
      // 'wide' is there already.
      const creates = Array.from({ length: runs - 1 }, (_, i) => ({ type: 'create_run', run_id: `run${i}` }));
      expect((await ingest(creates)).body).toBe(runs - 1);
      const over = await ingest([{ type: 'finish_run', run_id: 'run0' }, { type: 'create_run', run_id: 'extra' }]);
      expect({ status: over.status, body: over.body }).toMatchObject({
        status: 400,
        body: {
          code: 'MARSHAL_ERR_BAD_PARAMETER',
          message: `parameter 'requests': [1].run_id: the tracker keeps at most ${runs} runs`,
          parameter: 'requests',
          issues: [{ path: 'requests[1].run_id', message: `the tracker keeps at most ${runs} runs` }],
        },
      });
      expect((await call(`${served.url}/experiment-tracker/run/run0`)).body).toMatchObject({ run_id: 'run0', finished: false });
      expect((await ingest([{ type: 'create_run', run_id: 'run0' }, { type: 'finish_run', run_id: 'run0' }])).status).toBe(200);
      expect((await call(`${served.url}/experiment-tracker/run/run0`)).body).toMatchObject({ run_id: 'run0', finished: true });
    });
  });

  describe('with a small limit of metrics over all runs', () => {
    const served = serveForTests({ services: [new ExperimentTracker({ metricsPerRun: 10, metrics: 25 })] });
    const ingest = (requests: unknown[]) => post(`${served.url}/experiment-tracker/ingest`, { requests });
    const fill = (runId: string, count: number) => [{ type: 'create_run', run_id: runId }, ...Array.from({ length: count }, (_, m) => metric(runId, `m${m}`))];

    it('refuses the batch that would pass it, and frees the metrics of a run started afresh', async () => {
      expect((await ingest([...fill('a', 10), ...fill('b', 10)])).body).toBe(22);
      const over = await ingest([metric('a', 'm0'), ...fill('c', 6)]);
      expect({ status: over.status, body: over.body }).toMatchObject({
        status: 400,
        body: {
          code: 'MARSHAL_ERR_BAD_PARAMETER',
          message: "parameter 'requests': the tracker keeps at most 25 metrics over all runs",
          parameter: 'requests',
          issues: [{ path: 'requests', message: 'the tracker keeps at most 25 metrics over all runs; this batch would make 26' }],
        },
      });
      expect((await call(`${served.url}/experiment-tracker/run/c`)).status).toBe(404);
      expect((await call(`${served.url}/experiment-tracker/run/a`)).body).toMatchObject({ metric_count: 10 });
      expect((await ingest(fill('c', 5))).status).toBe(200);
      // Starting 'a' afresh with 2 metrics makes room for the 6 of 'd'.
      expect((await ingest([...fill('a', 2), ...fill('d', 6)])).status).toBe(200);
      expect((await call(`${served.url}/experiment-tracker/run/a`)).body).toMatchObject({ metrics: [{ name: 'm0' }, { name: 'm1' }], metric_count: 2 });
    });
  });
});

describe('agent-server: thread ids and bounds', () => {
  describe('with the limits the example server has', () => {
    const served = serveForTests({ services: [new AgentServer()] });
    const inject = (request: Record<string, unknown>) => post(`${served.url}/agent-server/inject`, { request: { payload: {}, ...request } });

    it('never puts a message meant for a new thread into a thread whose id a client picked', async () => {
      const picked = ['thread-1', 'thread-2', 'thread-4'];
      for (const threadId of picked) expect((await inject({ to: 'owner', threadId })).status).toBe(200);
      const made: string[] = [];
      for (let i = 0; i < 3; i++) made.push(((await inject({ to: `newcomer${i}` })).body as { threadId: string }).threadId);
      expect(made).toEqual(['thread-3', 'thread-5', 'thread-6']);
      for (const [i, threadId] of made.entries()) {
        expect((await call(`${served.url}/agent-server/thread/${threadId}`)).body).toMatchObject({ participants: [`newcomer${i}`], messageCount: 1 });
      }
      for (const threadId of picked) {
        expect((await call(`${served.url}/agent-server/thread/${threadId}`)).body).toMatchObject({ participants: ['owner'], messageCount: 1 });
      }
    });

    it('refuses an empty or overlong thread id, which no GET could name', async () => {
      for (const threadId of ['', 't'.repeat(129)]) {
        const answer = await inject({ to: 'a', threadId });
        expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 400, body: { code: 'MARSHAL_ERR_BAD_PARAMETER', issues: [{ path: 'request.threadId' }] } });
      }
    });

    it('refuses a participant past the limit of a thread', async () => {
      const { participants } = defaultAgentServerLimits;
      for (let i = 0; i < participants; i++) expect((await inject({ to: `agent${i}`, threadId: 'crowded' })).status).toBe(200);
      const over = await inject({ to: 'late', threadId: 'crowded' });
      expect({ status: over.status, body: over.body }).toMatchObject({
        status: 400,
        body: {
          code: 'MARSHAL_ERR_BAD_PARAMETER',
          message: `parameter 'request': to: the thread "crowded" already has ${participants} participants, the most a thread may have`,
          parameter: 'request',
          issues: [{ path: 'request.to', message: `the thread "crowded" already has ${participants} participants, the most a thread may have` }],
        },
      });
      expect((await inject({ to: 'agent0', threadId: 'crowded' })).status).toBe(200);
      expect((await call(`${served.url}/agent-server/thread/crowded`)).body).toMatchObject({ messageCount: participants + 1 });
    });
  });

  describe('with a small limit of threads', () => {
    const served = serveForTests({ services: [new AgentServer(undefined, { threads: 5 })] });
    const inject = (request: Record<string, unknown>) => post(`${served.url}/agent-server/inject`, { request: { payload: {}, ...request } });

    it('refuses a new thread past it, and still serves the threads it has', async () => {
      for (let i = 0; i < 5; i++) expect((await inject({ to: 'filler', ...(i % 2 === 0 ? {} : { threadId: `picked-${i}` }) })).status).toBe(200);
      for (const [request, path, where] of [[{ to: 'late' }, 'request', ''], [{ to: 'late', threadId: 'one-more' }, 'request.threadId', 'threadId: ']] as const) {
        const over = await inject(request);
        expect({ status: over.status, body: over.body }).toMatchObject({
          status: 400,
          body: {
            code: 'MARSHAL_ERR_BAD_PARAMETER',
            message: `parameter 'request': ${where}the agent server keeps at most 5 threads`,
            parameter: 'request',
            issues: [{ path, message: 'the agent server keeps at most 5 threads' }],
          },
        });
      }
      expect((await inject({ to: 'owner', threadId: 'picked-1' })).body).toMatchObject({ threadId: 'picked-1' });
      expect((await call(`${served.url}/agent-server/thread/picked-1`)).body).toMatchObject({ participants: ['filler', 'owner'], messageCount: 2 });
      expect(((await call(`${served.url}/agent-server/threads`)).body as unknown[]).length).toBe(5);
    });
  });
});

describe('telemetry: sums and bounds', () => {
  const event = (id: string, change: Record<string, unknown> = {}) => ({ ...seedEvent, source_event_id: id, ...change });
  const toolCall = (id: string) => ({ ...seedToolCall, external_call_id: id });
  const ingestTo = (served: { readonly url: string }) => {
    let batches = 0;
    return (events: unknown[], toolCalls: unknown[] = []) =>
      post(`${served.url}/telemetry/ingest`, { batch: { batch_id: `b${++batches}`, device_id: 'd', daemon_version: 'v', events, tool_calls: toolCalls } });
  };

  describe('with the limits the example server has', () => {
    const served = serveForTests({ services: [new Telemetry()] });
    const ingest = ingestTo(served);

    it('keeps a session readable when its token counts add up past 2^53', async () => {
      const tokens = { input: Number.MAX_SAFE_INTEGER, output: Number.MAX_SAFE_INTEGER };
      expect((await ingest([event('big1', { session_id: 'big', tokens }), event('big2', { session_id: 'big', tokens })])).status).toBe(200);
      const usage = await call(`${served.url}/telemetry/usage/big`);
      expect({ status: usage.status, body: usage.body }).toMatchObject({ status: 200, body: { events: 2, input_tokens: Number.MAX_SAFE_INTEGER, output_tokens: Number.MAX_SAFE_INTEGER } });
    });

    it('refuses overlong texts and too many tool calls in a batch', async () => {
      const long = await ingest([event('x'.repeat(129), { agent: 'a'.repeat(257), cwd: '/'.repeat(4097) })]);
      expect(long.status).toBe(400);
      expect((long.body as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual(['batch.events[0].source_event_id', 'batch.events[0].agent', 'batch.events[0].cwd']);
      const calls = await ingest([], Array.from({ length: maxBatchToolCalls + 1 }, (_, i) => toolCall(`many${i}`)));
      expect({ status: calls.status, body: calls.body }).toMatchObject({
        status: 400,
        body: { issues: [{ path: 'batch.tool_calls', message: `expected at most ${maxBatchToolCalls} items, got ${maxBatchToolCalls + 1}` }] },
      });
    });

    it('has finite store limits', () => {
      expect(defaultTelemetryLimits.events * maxBatchEvents).toBeLessThan(Number.MAX_SAFE_INTEGER);
      expect(Number.isSafeInteger(defaultTelemetryLimits.events) && Number.isSafeInteger(defaultTelemetryLimits.toolCalls)).toBe(true);
    });
  });

  describe('with small store limits', () => {
    const served = serveForTests({ services: [new Telemetry({ events: 600, toolCalls: 50 })] });
    const ingest = ingestTo(served);

    it('refuses events and tool calls past them, storing nothing of that batch, and still takes retries', async () => {
      for (let b = 0, stored = 0; stored < 600; b++) {
        const count = Math.min(maxBatchEvents, 600 - stored);
        expect((await ingest(Array.from({ length: count }, (_, i) => event(`fill-${b}-${i}`)))).body).toMatchObject({ accepted: count });
        stored += count;
      }
      const over = await ingest([event('fill-0-0'), event('one-more', { session_id: 'late' })], [toolCall('c-late')]);
      expect({ status: over.status, body: over.body }).toMatchObject({
        status: 400,
        body: {
          code: 'MARSHAL_ERR_BAD_PARAMETER',
          message: "parameter 'batch': events: the store keeps at most 600 events; this batch adds 1 new ones, which do not fit",
          parameter: 'batch',
          issues: [{ path: 'batch.events', message: 'the store keeps at most 600 events; this batch adds 1 new ones, which do not fit' }],
        },
      });
      // Nothing of the refused batch was kept: not its event, not its tool call.
      expect((await call(`${served.url}/telemetry/usage/late`)).body).toMatchObject({ events: 0 });
      expect((await call(`${served.url}/telemetry/usage/hostile-session`)).body).toMatchObject({ events: 600, tool_calls: 0 });
      // A retried batch adds nothing, so it is still answered.
      expect((await ingest([event('fill-0-0'), event('fill-1-0')])).body).toEqual({ accepted: 0, duplicates: 2, tool_calls: 0 });

      expect((await ingest([], Array.from({ length: 50 }, (_, i) => toolCall(`c${i}`)))).body).toMatchObject({ tool_calls: 50 });
      const overCalls = await ingest([], [toolCall('c0'), toolCall('c-late')]);
      expect({ status: overCalls.status, body: overCalls.body }).toMatchObject({ status: 400, body: { parameter: 'batch', issues: [{ path: 'batch.tool_calls' }] } });
      expect((await ingest([event('fill-0-0')], [toolCall('c0')])).body).toEqual({ accepted: 0, duplicates: 1, tool_calls: 0 });
      expect((await call(`${served.url}/telemetry/usage/hostile-session`)).body).toMatchObject({ events: 600, tool_calls: 50 });
    });
  });
});
