/**
 * Error answers for JSON bodies over real HTTP: malformed or non-object bodies, missing and unknown
 * parameters, nested DTO fields of the wrong type (with the path inside the parameter), and the body limit.
 */
import { describe, expect, it } from 'vitest';
import { Probe } from '../helpers/probe-service.js';
import { serveForTests } from '../helpers/serve.js';
import { call, expectError, issue, post } from '../helpers/http.js';

const item = (change: Record<string, unknown> = {}) => ({
  name: 'first',
  when: '2024-01-02T03:04:05Z',
  color: 'RED',
  tags: [{ label: 'x', color: 'GREEN' }],
  ...change,
});
const body = (change: Record<string, unknown> = {}) => ({ item: item(), items: [item(), item()], records: [{ any: 'thing' }], ...change });

function parseProblem(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
}

describe('JSON body errors', () => {
  const served = serveForTests({ services: [new Probe()], bodyLimit: 1024 });
  const save = (payload?: unknown, raw = false) => post(`${served.url}/probe/save/alice`, payload, raw);

  it('decodes a good body into DTO instances', async () => {
    const answer = await save(body({ extra: null }));
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 200,
      body: {
        owner: 'alice',
        item: { isItem: true, when: '2024-01-02T03:04:05.000Z', color: 'red', tagIsTag: true },
        items: 2,
        records: [{ any: 'thing' }],
        extra: 'absent',
      },
    });
  });

  it('lists every problem of the body in one 400, each with its path', async () => {
    const answer = await save(
      body({
        item: item({ when: 42, color: 'BLUE' }),
        items: [item(), item({ tags: [{ label: 1, color: 'RED' }] })],
        records: 'none',
      }),
    );
    expectError(answer, 400, {
      code: 'MARSHAL_ERR_BAD_PARAMETER',
      message: "parameter 'item': when: expected an ISO-8601 date string, got 42 (and 3 more problems)",
      parameter: 'item',
      issues: [
        issue('item.when', 'expected an ISO-8601 date string, got 42'),
        issue('item.color', 'expected one of "RED", "GREEN", got "BLUE"'),
        issue('items[1].tags[0].label', 'expected a string, got 1'),
        issue('records', 'expected an array, got "none"'),
      ],
    });
  });

  it.each(['{"item":', '{item: 1}', "{'item': 1}", '{"item": 1,}', 'nul'])('answers 400 for the malformed JSON %s', async (text) => {
    expectError(await save(text, true), 400, {
      code: 'MARSHAL_ERR_MALFORMED_JSON',
      message: `the request body is not valid JSON: ${parseProblem(text)}`,
    });
  });

  it.each(['[1, 2]', 'null', '"text"', '42', 'true'])('answers 400 for the JSON %s, which is not an object', async (text) => {
    expectError(await save(text, true), 400, {
      code: 'MARSHAL_ERR_MALFORMED_JSON',
      message: 'the request body must be a JSON object with one key per parameter',
    });
  });

  it.each([
    ['an empty body', undefined, ['item', 'items', 'records']],
    ['an empty object', {}, ['item', 'items', 'records']],
    ['no items', { item: item(), records: [] }, ['items']],
  ])('answers 400 for missing required parameters: %s', async (_, payload, missing) => {
    const answer = await save(payload);
    const more = missing.length - 1;
    expectError(answer, 400, {
      code: 'MARSHAL_ERR_MISSING_PARAMETER',
      message: `parameter '${missing[0]}' is required (in the JSON body)${more ? ` (and ${more} more problems)` : ''}`,
      parameter: missing[0],
      issues: missing.map((name) => issue(name, 'missing: required in the JSON body')),
    });
  });

  const expected = 'expected: item, items, records, extra';
  it.each([
    ['bogus', body({ bogus: 1 })],
    ['owner', body({ owner: 'bob' })],
    ['__proto__', `{"__proto__": {"polluted": true}, "item": ${JSON.stringify(item())}, "items": [], "records": []}`],
  ])('answers 400 for the unknown JSON key %s', async (key, payload) => {
    expectError(await save(payload, typeof payload === 'string'), 400, {
      code: 'MARSHAL_ERR_UNKNOWN_PARAMETER',
      message: `the JSON body has an unknown parameter '${key}' (${expected})`,
      parameter: key,
      issues: [issue(key, `not a parameter of this endpoint (${expected})`)],
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names the problems of the URL and of the body in one 400', async () => {
    const answer = await post(`${served.url}/probe/save/alice?bogus=1`, { item: item({ when: 'soon' }), records: [], stray: true });
    expectError(answer, 400, {
      code: 'MARSHAL_ERR_UNKNOWN_PARAMETER',
      message: `the JSON body has an unknown parameter 'stray' (${expected}) (and 2 more problems)`,
      parameter: 'stray',
      issues: [
        issue('stray', `not a parameter of this endpoint (${expected})`),
        issue('item.when', 'expected an ISO-8601 date string, got "soon"'),
        issue('items', 'missing: required in the JSON body'),
      ],
    });
  });

  it('reads the body after a bad path parameter, to name its problems too', async () => {
    const answer = await call(`${served.url}/probe/save/%zz`, {
      method: 'POST',
      body: JSON.stringify(body({ items: 'none' })),
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      code: 'MARSHAL_ERR_BAD_PARAMETER',
      parameter: 'owner',
      issues: [
        issue('owner', 'malformed percent-encoding in "%zz"'),
        issue('items', 'expected an array, got "none"'),
      ],
    });
  });

  it('answers a malformed body as such, even when the URL is wrong too', async () => {
    const answer = await call(`${served.url}/probe/save/%zz`, { method: 'POST', body: '{"item":' });
    expect(answer.body).toMatchObject({ code: 'MARSHAL_ERR_MALFORMED_JSON' });
  });

  it.each([
    ['a Date field', body({ item: item({ when: 42 }) }), 'item', 'item.when', 'expected an ISO-8601 date string, got 42'],
    ['a Date in an array item', body({ items: [item(), item({ when: 'soon' })] }), 'items', 'items[1].when', 'expected an ISO-8601 date string, got "soon"'],
    [
      'an enum two levels down',
      body({ items: [item({ tags: [{ label: 'a', color: 'RED' }, { label: 'b', color: 'BLUE' }] })] }),
      'items',
      'items[0].tags[1].color',
      'expected one of "RED", "GREEN", got "BLUE"',
    ],
    ['a missing DTO field', body({ item: { when: '2024-01-02', color: 'RED' } }), 'item', 'item.name', 'missing required field of Item'],
    ['a null DTO', body({ item: null }), 'item', 'item', 'expected an object for Item, got null'],
    ['an object for an array', body({ items: { 0: item() } }), 'items', 'items', 'expected an array, got an object'],
    ['a number in [JsonObject]', body({ records: [{}, 1] }), 'records', 'records[1]', 'expected a JSON object, got 1'],
    ['a bad optional DTO', body({ extra: item({ color: 7 }) }), 'extra', 'extra.color', 'expected one of "RED", "GREEN", got 7'],
  ])('answers 400 with the path inside the parameter for %s', async (_, payload, parameter, path, problem) => {
    const within = path === parameter ? '' : `${path.slice(parameter.length).replace(/^\./, '')}: `;
    expectError(await save(payload), 400, {
      code: 'MARSHAL_ERR_BAD_PARAMETER',
      message: `parameter '${parameter}': ${within}${problem}`,
      parameter,
      issues: [issue(path, problem)],
    });
  });
});

describe('the body limit', () => {
  const served = serveForTests({ services: [new Probe()], bodyLimit: 1024 });
  const url = () => `${served.url}/probe/save/alice`;
  const tooLarge = { code: 'MARSHAL_ERR_BODY_TOO_LARGE', message: 'the request body is larger than the limit of 1024 bytes' };
  /** A valid body padded with spaces to exactly `size` bytes. */
  const padded = (size: number) => {
    const text = JSON.stringify(body());
    return text.slice(0, -1) + ' '.repeat(size - text.length) + '}';
  };

  it('accepts a body of exactly the limit', async () => {
    expect((await post(url(), padded(1024), true)).status).toBe(200);
  });

  it('answers 413 for a Content-Length over the limit, and reads and drops the rest so the connection stays usable', async () => {
    const answer = await post(url(), padded(1025), true);
    expectError(answer, 413, tooLarge);
    expect(answer.headers.get('connection')).toBe('keep-alive');
  });

  it('answers 413 for a chunked body as soon as it passes the limit', async () => {
    const chunk = new TextEncoder().encode(`{"records": [${'{},'.repeat(200)}`);
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      // Two chunks pass the limit; the stream then never ends, so only an early answer can finish the call.
      pull(controller) {
        if (pulls++ < 2) controller.enqueue(chunk);
        else return new Promise<void>(() => {});
      },
    });
    const answer = await call(url(), { method: 'POST', body: endless, duplex: 'half' } as RequestInit);
    expectError(answer, 413, tooLarge);
  });
});
