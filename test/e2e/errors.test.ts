/**
 * Error answers for routing and URL parameters, over real HTTP: exact status and exact JSON body.
 * JSON-body errors are in json-errors.test.ts, implementation errors in handler-errors.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Probe } from '../helpers/probe-service.js';
import { serveForTests } from '../helpers/serve.js';
import { call, expectError, issue, post } from '../helpers/http.js';

const template = '/probe/echo/<s>/<n>/<i>/<b>/<d>/<c>?limit=<limit>&flag=<flag>';
const good = { s: 'abc', n: '3', i: '4', b: 'true', d: '2024-01-02T03:04:05Z', c: 'RED' };
type Segments = typeof good;
const echoPath = (change: Partial<Segments> = {}) => `/probe/echo/${Object.values({ ...good, ...change }).join('/')}`;

describe('routing errors', () => {
  const served = serveForTests({ services: [new Probe()] });

  it.each(['/nope', '/probe', '/probe/nope', '/nope/echo/a'])('answers 404 for the unknown route %s', async (path) => {
    expectError(await post(served.url + path), 404, {
      code: 'MARSHAL_ERR_ROUTE_NOT_FOUND',
      message: `no endpoint at ${JSON.stringify(path)}`,
    });
  });

  it('answers 404 for more path segments than the endpoint has', async () => {
    expectError(await call(`${served.url}/probe/lookup/1/2`), 404, {
      code: 'MARSHAL_ERR_ROUTE_NOT_FOUND',
      message: 'no endpoint at this path; expected /probe/lookup/<id>',
    });
  });

  it('answers 405 with an Allow header for GET on a POST endpoint', async () => {
    const answer = await call(served.url + echoPath());
    expectError(answer, 405, { code: 'MARSHAL_ERR_METHOD_NOT_ALLOWED', message: 'GET is not allowed here; use POST' });
    expect(answer.headers.get('allow')).toBe('POST');
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('answers 405 with Allow: GET, HEAD for %s on a GET endpoint', async (method) => {
    const answer = await call(`${served.url}/probe/lookup/1`, { method });
    expectError(answer, 405, { code: 'MARSHAL_ERR_METHOD_NOT_ALLOWED', message: `${method} is not allowed here; use GET, HEAD` });
    expect(answer.headers.get('allow')).toBe('GET, HEAD');
  });

  it('serves the GET endpoint, also with a trailing slash', async () => {
    for (const path of ['/probe/lookup/7', '/probe/lookup/7/']) {
      const answer = await call(served.url + path);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: 'item 7' });
    }
  });
});

describe('URL parameters', () => {
  const served = serveForTests({ services: [new Probe()] });

  it('decodes every primitive type from the path, accepting a trailing slash', async () => {
    const expected = {
      s: 'abc', n: 3, i: 4, b: true, d: '2024-01-02T03:04:05.000Z', c: 'red', limit: 'absent', flag: 'absent',
      types: ['string', 'number', 'number', 'boolean'],
    };
    for (const path of [echoPath(), `${echoPath()}/`]) {
      const answer = await post(served.url + path);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: expected });
    }
  });

  it('reads optional query parameters and ignores unknown ones', async () => {
    const answer = await post(`${served.url}${echoPath()}?limit=10&flag=False&other=x`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ limit: 10, flag: false });
  });

  it.each([
    ['a missing trailing parameter', echoPath().split('/').slice(0, -1).join('/'), ['c']],
    ['several missing parameters', '/probe/echo/abc', ['n', 'i', 'b', 'd', 'c']],
    ['several missing parameters and a trailing slash', '/probe/echo/abc/', ['n', 'i', 'b', 'd', 'c']],
    ['every parameter missing', '/probe/echo', ['s', 'n', 'i', 'b', 'd', 'c']],
  ])('answers 400 for %s, naming each', async (_, path, missing) => {
    const more = missing.length - 1;
    expectError(await post(served.url + path), 400, {
      code: 'MARSHAL_ERR_MISSING_PARAMETER',
      message: `parameter '${missing[0]}' is required (in the URL path: ${template})${more ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''}`,
      parameter: missing[0],
      issues: missing.map((name) => issue(name, `missing: required in the URL path: ${template}`)),
    });
  });

  it('names every problem of the path and the query in one 400, in order', async () => {
    expectError(await post(`${served.url}${echoPath({ n: 'abc', c: 'PURPLE' })}?limit=1.5&flag=yes`), 400, {
      code: 'MARSHAL_ERR_BAD_PARAMETER',
      message: `parameter 'n': expected a number, got "abc" (and 3 more problems)`,
      parameter: 'n',
      issues: [
        issue('n', 'expected a number, got "abc"'),
        issue('c', 'expected one of "RED", "GREEN", got "PURPLE"'),
        issue('limit', 'expected an integer, got 1.5'),
        issue('flag', 'expected True/true/1 or False/false/0, got "yes"'),
      ],
    });
  });

  const mistyped: [string, Partial<Segments>, string, string][] = [
    ['text for a Number', { n: 'abc' }, 'n', 'expected a number, got "abc"'],
    ['a hex literal for a Number', { n: '0x1f' }, 'n', 'expected a number, got "0x1f"'],
    ['an overflowing Number', { n: '1e999' }, 'n', 'expected a finite number, got Infinity'],
    ['a fraction for an Int', { i: '1.5' }, 'i', 'expected an integer, got 1.5'],
    ['a word for a Boolean', { b: 'maybe' }, 'b', 'expected True/true/1 or False/false/0, got "maybe"'],
    ['text for a Date', { d: 'yesterday' }, 'd', 'expected an ISO-8601 date string, got "yesterday"'],
    ['the 30th of February', { d: '2024-02-30' }, 'd', 'expected a valid date, got "2024-02-30"'],
    ['month 13', { d: '2024-13-01T00:00:00Z' }, 'd', 'expected a valid date, got "2024-13-01T00:00:00Z"'],
    ['an unknown enum name', { c: 'PURPLE' }, 'c', 'expected one of "RED", "GREEN", got "PURPLE"'],
    ['an enum value instead of its name', { c: 'red' }, 'c', 'expected one of "RED", "GREEN", got "red"'],
    ['malformed percent-encoding', { s: '%E0%A4%A' }, 's', 'malformed percent-encoding in "%E0%A4%A"'],
  ];
  it.each(mistyped)('answers 400 naming the parameter for %s in the path', async (_, change, parameter, problem) => {
    expectError(await post(served.url + echoPath(change)), 400, {
      code: 'MARSHAL_ERR_BAD_PARAMETER',
      message: `parameter '${parameter}': ${problem}`,
      parameter,
      issues: [issue(parameter, problem)],
    });
  });

  it.each([
    ['limit=abc', 'limit', 'expected an integer, got "abc"'],
    ['limit=', 'limit', 'expected an integer, got ""'],
    ['flag=maybe', 'flag', 'expected True/true/1 or False/false/0, got "maybe"'],
    ['limit=%zz', 'limit', 'malformed percent-encoding in "%zz"'],
  ])('answers 400 naming the parameter for the query %s', async (query, parameter, problem) => {
    expectError(await post(`${served.url}${echoPath()}?${query}`), 400, {
      code: 'MARSHAL_ERR_BAD_PARAMETER',
      message: `parameter '${parameter}': ${problem}`,
      parameter,
      issues: [issue(parameter, problem)],
    });
  });

  it('answers 400 for a mistyped value on the GET endpoint', async () => {
    expectError(await call(`${served.url}/probe/lookup/abc`), 400, {
      code: 'MARSHAL_ERR_BAD_PARAMETER',
      message: `parameter 'id': expected an integer, got "abc"`,
      parameter: 'id',
      issues: [issue('id', 'expected an integer, got "abc"')],
    });
  });
});
