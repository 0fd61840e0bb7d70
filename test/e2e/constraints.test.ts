/**
 * constrained(…) bounds over HTTP: checked by the server in the path, the query and the JSON
 * body (a 400 listing every broken bound), checked by the client before it sends, and stated in
 * the OpenAPI document as the JSON Schema keywords of the same names.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { closeClient, createClient } from '@marshal/client';
import { Int, constrained, endpoint, field, openApiDocument, optional, service, serviceModelOf, unimplemented } from '@marshal/core';
import { serveForTests } from '../helpers/serve.js';
import { call, expectError, issue, post } from '../helpers/http.js';

const Sku = constrained(String, { pattern: /^[A-Z]{3}-\d{4}$/ });

class OrderLine {
  @field(Sku) sku!: string;
  @field(constrained(Int, { min: 1, max: 99 })) quantity!: number;
}

@service()
class IShop {
  @endpoint({
    params: [
      ['customer', constrained(String, { minLength: 3, maxLength: 12 })],
      ['priority', optional(constrained(Int, { min: 0, max: 9 }))],
      ['lines', constrained([OrderLine], { minItems: 1, maxItems: 5 })],
    ],
    returns: Int,
  })
  order(customer: string, priority: number | undefined, lines: OrderLine[]): Promise<number> {
    return unimplemented();
  }
}

class Shop extends IShop {
  override async order(_customer: string, _priority: number | undefined, lines: OrderLine[]): Promise<number> {
    return lines.reduce((total, line) => total + line.quantity, 0);
  }
}

const line = (sku: string, quantity: number) => Object.assign(new OrderLine(), { sku, quantity });

describe('constrained parameters over HTTP', () => {
  const served = serveForTests({ services: [new Shop()] });
  let api: IShop;
  afterAll(() => closeClient(api));

  it('lets values within their bounds through, from the client and from plain HTTP', async () => {
    api = createClient(IShop, served.url);
    expect(await api.order('ada', 9, [line('ABC-0001', 2), line('XYZ-9999', 99)])).toBe(101);
    const answer = await post(`${served.url}/shop/order/bob?priority=0`, { lines: [{ sku: 'ABC-0001', quantity: 1 }] });
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: 1 });
  });

  it('answers a path parameter out of bounds with a 400 naming it', async () => {
    expectError(await post(`${served.url}/shop/order/al`, { lines: [{ sku: 'ABC-0001', quantity: 1 }] }), 400, {
      code: 'MARSHAL_ERR_BAD_PARAMETER',
      message: `parameter 'customer': expected a string of at least 3 characters, got "al"`,
      parameter: 'customer',
      issues: [issue('customer', 'expected a string of at least 3 characters, got "al"')],
    });
  });

  it('answers a query parameter out of bounds with a 400 naming it', async () => {
    const answer = await post(`${served.url}/shop/order/carol?priority=10`, { lines: [{ sku: 'ABC-0001', quantity: 1 }] });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ parameter: 'priority', message: `parameter 'priority': expected a number ≤ 9, got 10` });
  });

  it('lists every broken bound of the JSON body with its path', async () => {
    const answer = await post(`${served.url}/shop/order/dave`, {
      lines: [
        { sku: 'abc-1', quantity: 1 },
        { sku: 'ABC-0001', quantity: 100 },
        { sku: 'ABC-0001', quantity: 0 },
      ],
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      code: 'MARSHAL_ERR_BAD_PARAMETER',
      parameter: 'lines',
      issues: [
        issue('lines[0].sku', 'expected a string matching /^[A-Z]{3}-\\d{4}$/, got "abc-1"'),
        issue('lines[1].quantity', 'expected a number ≤ 99, got 100'),
        issue('lines[2].quantity', 'expected a number ≥ 1, got 0'),
      ],
    });
    const tooMany = await post(`${served.url}/shop/order/dave`, { lines: Array.from({ length: 6 }, () => ({ sku: 'ABC-0001', quantity: 1 })) });
    expect(tooMany.body).toMatchObject({ issues: [{ path: 'lines', message: 'expected at most 5 items, got 6' }] });
  });

  it('makes the client refuse an argument out of bounds before it sends anything', async () => {
    await expect(api.order('x'.repeat(13), undefined, [line('ABC-0001', 1)])).rejects.toThrow(
      "IShop.order: argument 'customer' does not fit its type: expected a string of at most 12 characters",
    );
    await expect(api.order('erin', undefined, [])).rejects.toThrow("argument 'lines' does not fit its type: expected at least 1 item, got 0");
  });

  it('states the bounds in the OpenAPI document, which stays valid', async () => {
    const document = openApiDocument([serviceModelOf(IShop)], { title: 'shop', version: '1' });
    expect(await new Validator().validate(structuredClone(document) as unknown as Record<string, unknown>)).toEqual({ valid: true });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document, walked by hand
    const operation = (document.paths as any)['/shop/order/{customer}'].post;
    expect(operation.parameters.map((parameter: { schema: unknown }) => parameter.schema)).toEqual([
      { type: 'string', minLength: 3, maxLength: 12 },
      { type: 'integer', minimum: 0, maximum: 9 }, // a query parameter: optional by not being required
    ]);
    expect(operation.requestBody.content['application/json'].schema.properties.lines).toMatchObject({ type: 'array', minItems: 1, maxItems: 5 });
    expect(document.components.schemas.OrderLine.properties).toEqual({
      sku: { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' },
      quantity: { type: 'integer', minimum: 1, maximum: 99 },
    });
    // The server serves the same document.
    const fromServer = (await call(`${served.url}/openapi.json`)).body as typeof document;
    expect({ paths: fromServer.paths, components: fromServer.components }).toEqual(JSON.parse(JSON.stringify({ paths: document.paths, components: document.components })));
  });
});
