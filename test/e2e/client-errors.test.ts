/**
 * Errors as a createClient caller sees them: RemoteError with the server's status, code, remote
 * error name and parameter; a TypeError, before anything is sent, for arguments that do not fit
 * the contract; and TransportError when no usable answer comes back.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Json, MarshalError, Void, endpoint, service, unimplemented } from '@marshal/core';
import { RemoteError, TransportError, closeClient, createClient } from '@marshal/client';
import { Color, IProbe, Item, Probe } from '../helpers/probe-service.js';
import { serveForTests } from '../helpers/serve.js';
import { issue } from '../helpers/http.js';

/** The probe's contract as an out-of-date client might have it: looser types, a wrong method, a removed endpoint. */
@service({ name: 'probe' })
class IStaleProbe {
  @endpoint({ params: [['s', String], ['n', String], ['i', String], ['b', String], ['d', String], ['c', String]], returns: Json })
  echo(s: string, n: string, i: string, b: string, d: string, c: string): Promise<any> { return unimplemented(); }

  @endpoint({ params: [['id', String]], returns: String })
  lookup(id: string): Promise<string> { return unimplemented(); }

  @endpoint({ params: [['owner', String], ['item', Json], ['items', Json], ['records', Json]], returns: Json })
  save(owner: string, item: any, items: any, records: any): Promise<any> { return unimplemented(); }

  @endpoint({ params: [], returns: Void })
  removed(): Promise<void> { return unimplemented(); }
}

const item = (when: unknown = new Date('2024-01-02T00:00:00Z')): Item => Object.assign(new Item(), { name: 'a', when, color: Color.RED });

async function remoteError(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

describe('RemoteError', () => {
  const served = serveForTests({ services: [new Probe()] });
  const clients: object[] = [];
  const client = <T extends object>(contract: abstract new () => T): T => {
    const api = createClient(contract, served.url);
    clients.push(api);
    return api;
  };
  afterAll(() => Promise.all(clients.map(closeClient)));

  it('carries the values of a good call through', async () => {
    const api = client(IProbe);
    expect(await api.lookup(5)).toBe('item 5');
    expect(await api.echo('a b/c', 1.5, 2, false, new Date('2024-01-02T03:04:05Z'), Color.GREEN, undefined, true)).toMatchObject({
      s: 'a b/c', n: 1.5, i: 2, b: false, d: '2024-01-02T03:04:05.000Z', c: 'green', limit: 'absent', flag: true,
    });
  });

  it('has the generic message of a throwing implementation, and is a MarshalError', async () => {
    const error = await remoteError(client(IProbe).fail('boom'));
    expect(error).toBeInstanceOf(MarshalError);
    expect(error).toMatchObject({ status: 500, code: 'MARSHAL_ERR_HANDLER', remoteName: undefined, parameter: undefined, issues: [] });
    expect(error.message).toBe('POST /probe/fail/boom → 500: the implementation failed; the server has logged the error');
  });

  it('has the issues of a result that does not fit', async () => {
    const error = await remoteError(client(IProbe).badResult());
    expect(error).toMatchObject({ status: 500, code: 'MARSHAL_ERR_RESULT_ENCODING', remoteName: undefined });
    expect(error.issues).toEqual([issue('[1].when', 'expected a valid Date, got "yesterday"')]);
  });

  it('names the parameter the server refused', async () => {
    const stale = client(IStaleProbe);
    const bad = await remoteError(stale.echo('a', 'three', '4', 'true', '2024-01-01', 'RED'));
    expect(bad).toMatchObject({ status: 400, code: 'MARSHAL_ERR_BAD_PARAMETER', parameter: 'n', issues: [{ path: 'n', message: 'expected a number, got "three"' }] });
    expect(bad.message).toBe(`POST /probe/echo/a/three/4/true/2024-01-01/RED → 400: parameter 'n': expected a number, got "three"`);

    const nested = await remoteError(stale.save('o', { name: 'a', when: 42, color: 'RED' }, [], []));
    expect(nested).toMatchObject({ status: 400, code: 'MARSHAL_ERR_BAD_PARAMETER', parameter: 'item', issues: [{ path: 'item.when' }] });

    const missing = await remoteError(stale.save('o', undefined, [], []));
    expect(missing).toMatchObject({ status: 400, code: 'MARSHAL_ERR_MISSING_PARAMETER', parameter: 'item' });
  });

  it('has the status and code of routing errors', async () => {
    const stale = client(IStaleProbe);
    expect(await remoteError(stale.removed())).toMatchObject({ status: 404, code: 'MARSHAL_ERR_ROUTE_NOT_FOUND' });
    expect(await remoteError(stale.lookup('1'))).toMatchObject({ status: 405, code: 'MARSHAL_ERR_METHOD_NOT_ALLOWED' });
  });
});

describe('arguments that do not fit the contract', () => {
  let requests = 0;
  let http: HttpServer;
  let api: IProbe;
  beforeAll(async () => {
    // Counts whatever reaches it: a refused argument must not be sent at all.
    http = createServer((request, response) => {
      requests++;
      response.end('null');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    api = createClient(IProbe, `http://127.0.0.1:${(http.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await closeClient(api);
    await new Promise((resolve) => http.close(resolve));
  });

  const date = new Date('2024-01-02T00:00:00Z');
  it.each<[string, (api: IProbe) => Promise<unknown>, string]>([
    ['a string for an Int', (a) => a.lookup('3' as unknown as number), `IProbe.lookup: argument 'id' does not fit its type: expected an integer, got "3"`],
    ['a fraction for an Int', (a) => a.echo('s', 1, 1.5, true, date, Color.RED), `IProbe.echo: argument 'i' does not fit its type: expected an integer, got 1.5`],
    ['NaN for a Number', (a) => a.echo('s', NaN, 1, true, date, Color.RED), `IProbe.echo: argument 'n' does not fit its type: expected a finite number, got NaN`],
    ['a missing path argument', (a) => (a.echo as (...args: unknown[]) => Promise<unknown>)('s'), `IProbe.echo: argument 'n' is required`],
    ['a name for an enum', (a) => a.echo('s', 1, 1, true, date, 'RED' as Color), `IProbe.echo: argument 'c' does not fit its type: expected an enum member (one of "RED", "GREEN"), got "RED"`],
    ['an invalid Date', (a) => a.echo('s', 1, 1, true, new Date('x'), Color.RED), `IProbe.echo: argument 'd' does not fit its type: expected a valid Date, got a Date`],
    ['a query value of the wrong type', (a) => a.echo('s', 1, 1, true, date, Color.RED, 'ten' as unknown as number), `IProbe.echo: argument 'limit' does not fit its type: expected an integer, got "ten"`],
    ['an empty string in the path', (a) => a.echo('', 1, 1, true, date, Color.RED), `IProbe.echo: argument 's' is an empty string, which a URL path cannot carry; declare the endpoint with forceJsonParams`],
    ['a string in a nested Date field', (a) => a.save('o', item(), [item(), item('x')], []), `IProbe.save: argument 'items' does not fit its type: [1].when: expected a valid Date, got "x"`],
  ])('throws a TypeError before sending, for %s', async (_, act, message) => {
    const error = await act(api).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(message);
    expect(requests).toBe(0);
  });
});

describe('TransportError: calls that get no usable answer', () => {
  let http: HttpServer;
  let url = '';
  let held = 0;
  beforeAll(async () => {
    // Holds /probe/lookup/1 unanswered; answers /probe/lookup/2 with a 200 that is not JSON.
    http = createServer((request, response) => {
      if (request.url === '/probe/lookup/1') {
        held++;
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>a proxy page</html>');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });

  async function transportError(promise: Promise<unknown>): Promise<TransportError> {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    return error as TransportError;
  }

  it('names the call and the address when nothing listens there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const api = createClient(IProbe, `http://127.0.0.1:${port}`);
    const error = await transportError(api.lookup(1));
    expect({ call: error.call, code: error.code }).toEqual({ call: 'GET /probe/lookup/1', code: 'ECONNREFUSED' });
    expect(error.message).toMatch(new RegExp(`^GET /probe/lookup/1: no answer from http://127.0.0.1:${port}: `));
    await closeClient(api);
  });

  it('gives up after timeoutMs when the server does not answer', async () => {
    const api = createClient(IProbe, url, { timeoutMs: 200 });
    const error = await transportError(api.lookup(1));
    expect({ call: error.call, code: error.code, held }).toEqual({ call: 'GET /probe/lookup/1', code: 'UND_ERR_HEADERS_TIMEOUT', held: 1 });
    await closeClient(api);
  });

  it('refuses a 200 whose body is not JSON, quoting its start', async () => {
    const api = createClient(IProbe, url);
    const error = await transportError(api.lookup(2));
    expect(error.message).toBe('GET /probe/lookup/2: the answer is not JSON: "<html>a proxy page</html>"');
    expect(error.cause).toBeInstanceOf(SyntaxError);
    await closeClient(api);
  });
});
