import { describe, expect, it } from 'vitest';
import { Bytes, Int, Void, enumOf, field, nullable, optional, stream } from '@marshal/serialization/internal';
import { service } from '../decorators/service.js';
import { endpoint, websocket } from '../decorators/endpoint.js';
import { unimplemented } from '../unimplemented.js';
import { serviceModelOf } from '../contract/service-model.js';
import { openApiDocument } from './openapi.js';

enum Size {
  S = 's',
  L = 'l',
}

/** Two modules may each declare a class of one name; and a DTO may be called ErrorBody. */
const makeItem = (descriptor: typeof String | typeof Int) => {
  class Item {
    @field(descriptor) id!: string | number;
  }
  return Item;
};
const StringItem = makeItem(String);
const IntItem = makeItem(Int);
class ErrorBody {
  @field(String) text!: string;
}

@service()
class IShop {
  @endpoint({ params: [['id', String], ['count', Int], ['size', optional(enumOf(Size))], ['since', nullable(Date)]], returns: StringItem, method: 'GET', description: 'One item.' })
  item(id: string, count: number, size?: Size, since?: Date | null): Promise<InstanceType<typeof StringItem>> { return unimplemented(); }

  @endpoint({ params: [['note', optional(String)], ['error', optional(ErrorBody)]], returns: Void, forceJsonParams: true })
  note(note?: string, error?: ErrorBody): Promise<void> { return unimplemented(); }

  @endpoint({ params: [], returns: [IntItem] })
  list(): Promise<InstanceType<typeof IntItem>[]> { return unimplemented(); }

  @endpoint({ params: [['file', Bytes]], returns: Int })
  upload(file: Uint8Array): Promise<number> { return unimplemented(); }

  @endpoint({ params: [['chunks', stream(Bytes)]], returns: Int })
  feed(chunks: AsyncIterable<Uint8Array>): Promise<number> { return unimplemented(); }

  @endpoint({ params: [['name', String]], returns: stream(String) })
  lines(name: string): AsyncIterable<string> { return unimplemented(); }

  @websocket({ params: [['prompt', String]], returns: String })
  chat(prompt: string): Promise<string> { return unimplemented(); }
}

const document = openApiDocument([serviceModelOf(IShop)], { title: 'Shop', version: '2.1.0' });
const errorRefs = Object.fromEntries([400, 401, 403, 404, 405, 408, 409, 413, 422, 429, 431, 500, 503, 504].map((status) => [String(status), { $ref: `#/components/responses/Error${status}` }]));

describe('openApiDocument', () => {
  it('makes one operation per served endpoint, with OpenAPI path templates and typed URL parameters', () => {
    expect(document).toMatchObject({ openapi: '3.1.0', info: { title: 'Shop', version: '2.1.0' }, tags: [{ name: 'shop' }] });
    expect(Object.keys(document.paths)).toEqual(['/shop/item/{id}/{count}', '/shop/note', '/shop/list', '/shop/upload', '/shop/feed', '/shop/lines/{name}']);
    expect(document.paths['/shop/item/{id}/{count}']).toEqual({
      get: {
        operationId: 'shop.item',
        tags: ['shop'],
        description: 'One item.\n\nHEAD is answered like GET, without a body.',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'count', in: 'path', required: true, schema: { type: 'integer' } },
          { name: 'size', in: 'query', required: false, schema: { enum: ['S', 'L'] } },
          { name: 'since', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } },
        ],
        responses: {
          '200': { description: 'The result, as JSON.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
          ...errorRefs,
        },
      },
    });
  });

  it('has a request body only for JSON parameters, required only when one of them is', () => {
    expect(document.paths['/shop/note'].post).toMatchObject({
      requestBody: {
        required: false,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
                error: { anyOf: [{ $ref: '#/components/schemas/ErrorBody_2' }, { type: 'null' }] },
              },
              required: [],
            },
          },
        },
      },
      responses: { '200': { content: { 'application/json': { schema: { type: 'null' } } } } },
    });
    expect(document.paths['/shop/list'].post).not.toHaveProperty('requestBody');
    expect(document.paths['/shop/list'].post).not.toHaveProperty('parameters');
  });

  it('keeps classes of one name apart, and the error body under its own name', () => {
    expect(Object.keys(document.components.schemas)).toEqual(['ErrorBody', 'Item', 'ErrorBody_2', 'Item_2']);
    expect(document.components.schemas.Item).toEqual({ type: 'object', properties: { id: { type: 'string' } }, required: ['id'] });
    expect(document.components.schemas.Item_2).toEqual({ type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] });
    expect(document.components.schemas.ErrorBody).toMatchObject({ required: ['code', 'message'], properties: { code: { enum: expect.arrayContaining(['MARSHAL_ERR_BAD_PARAMETER']) } } });
  });

  it('shares one error response per status, described by its codes', () => {
    expect(Object.keys(document.components.responses)).toEqual(
      ['Error400', 'Error401', 'Error403', 'Error404', 'Error405', 'Error408', 'Error409', 'Error413', 'Error422', 'Error429', 'Error431', 'Error500', 'Error503', 'Error504'],
    );
    expect(document.components.responses.Error404).toEqual({
      description:
        'MARSHAL_ERR_ROUTE_NOT_FOUND: No endpoint is served at this path. MARSHAL_ERR_NOT_FOUND: The implementation reports that what was asked for does not exist (it threw this code).',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    });
  });

  it('lists WebSocket endpoints apart from the HTTP operations', () => {
    expect(document['x-marshal-unserved']).toEqual([]);
    expect(document['x-marshal-websocket']).toEqual([{ operationId: 'shop.chat', urlTemplate: '/shop/chat/<prompt>' }]);
    expect(Object.keys(document.paths).some((path) => path.startsWith('/shop/chat'))).toBe(false);
  });

  it('describes a file body, a streamed body and a streamed result by their media types', () => {
    const octets = { type: 'string', contentMediaType: 'application/octet-stream' };
    expect(document.paths['/shop/upload'].post).toMatchObject({
      requestBody: { required: true, content: { 'application/octet-stream': { schema: octets } } },
      responses: { '200': { content: { 'application/json': { schema: { type: 'integer' } } } } },
    });
    expect(document.paths['/shop/feed'].post).toMatchObject({ requestBody: { required: true, content: { 'application/octet-stream': { schema: octets } } } });
    expect(Object.keys((document.paths['/shop/lines/{name}'].post as { responses: Record<string, { content: object }> }).responses['200'].content)).toEqual([
      'text/plain',
      'text/event-stream',
    ]);
  });
});
