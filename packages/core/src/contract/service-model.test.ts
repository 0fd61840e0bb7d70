import { describe, expect, it } from 'vitest';
import { Bytes, Int, Json, JsonObject, Void, enumOf, field, nullable, optional, recordOf, stream } from '@marshal/serialization/internal';
import { service } from '../decorators/service.js';
import { endpoint, websocket } from '../decorators/endpoint.js';
import { unimplemented } from '../unimplemented.js';
import { ContractError } from '../contract-error.js';
import { placementOf } from './placement.js';
import { isServiceContract, serviceModelOf } from './service-model.js';

enum Color {
  RED = 'red',
}
class Item {
  @field(String) name!: string;
}

describe('placementOf', () => {
  it.each([
    ['String', String, 'path', 'json'],
    ['Number', Number, 'path', 'json'],
    ['Boolean', Boolean, 'path', 'json'],
    ['Date', Date, 'path', 'json'],
    ['Int', Int, 'path', 'json'],
    ['enumOf(Color)', enumOf(Color), 'path', 'json'],
    ['optional(String)', optional(String), 'query', 'json'],
    ['nullable(Int)', nullable(Int), 'query', 'json'],
    ['optional(enumOf(Color))', optional(enumOf(Color)), 'query', 'json'],
    ['[String]', [String], 'json', 'json'],
    ['JsonObject', JsonObject, 'json', 'json'],
    ['Json', Json, 'json', 'json'],
    ['recordOf(Int)', recordOf(Int), 'json', 'json'],
    ['Item', Item, 'json', 'json'],
    ['() => Item', () => Item, 'json', 'json'],
    ['optional(Item)', optional(Item), 'json', 'json'],
    ['Bytes', Bytes, 'file', 'file'],
    ['optional(Bytes)', optional(Bytes), 'file', 'file'],
    ['stream(Bytes)', stream(Bytes), 'stream', 'stream'],
    ['stream(String)', stream(String), 'stream', 'stream'],
  ] as const)('%s goes to the %s (forceJsonParams: %s)', (_, descriptor, placement, forced) => {
    expect(placementOf(descriptor, false)).toBe(placement);
    expect(placementOf(descriptor, true)).toBe(forced);
  });
});

@service({ description: 'a shop' })
class IShop {
  @endpoint({
    params: [['id', String], ['count', Int], ['data', [JsonObject]], ['drop_duplicates', optional(Boolean)], ['file', Bytes], ['since', nullable(Date)]],
    returns: [String],
  })
  select(id: string, count: number, data: JsonObject[], drop_duplicates: boolean | undefined, file: Uint8Array, since: Date | null): Promise<string[]> {
    return unimplemented();
  }

  @endpoint({ params: [['a', Int], ['b', optional(String)], ['file', Bytes]], returns: Void, forceJsonParams: true })
  forced(a: number, b: string | undefined, file: Uint8Array): Promise<void> {
    return unimplemented();
  }

  @endpoint({ params: [['id', Int]], returns: String, method: 'GET', name: 'find-one', verifyAbstract: false })
  find(id: number): Promise<string> {
    return unimplemented();
  }

  @endpoint({ params: [['name', String], ['data', stream(Bytes)]], returns: stream(String) })
  upload(name: string, data: AsyncIterable<Uint8Array>): AsyncIterable<string> {
    return unimplemented();
  }
}

describe('serviceModelOf', () => {
  const model = serviceModelOf(IShop);
  const names = (params: readonly { name: string }[]) => params.map((p) => p.name);
  const byName = (name: string) => model.endpoints.find((e) => e.methodName === name)!;

  it('names the service and its endpoints', () => {
    expect({ name: model.name, className: model.className, description: model.description }).toEqual({ name: 'shop', className: 'IShop', description: 'a shop' });
    expect(model.endpoints.map((e) => [e.methodName, e.name, e.httpMethod, e.route])).toEqual([
      ['select', 'select', 'POST', '/shop/select'],
      ['forced', 'forced', 'POST', '/shop/forced'],
      ['find', 'find-one', 'GET', '/shop/find-one'],
      ['upload', 'upload', 'POST', '/shop/upload'],
    ]);
    expect(isServiceContract(IShop)).toBe(true);
  });

  it('places each parameter as the reference does', () => {
    const select = byName('select');
    expect([names(select.pathParams), names(select.queryParams), names(select.jsonParams), names(select.fileParams)]).toEqual([
      ['id', 'count'], ['drop_duplicates', 'since'], ['data'], ['file'],
    ]);
    expect(select.params.map((p) => [p.name, p.index, p.optional])).toEqual([
      ['id', 0, false], ['count', 1, false], ['data', 2, false], ['drop_duplicates', 3, true], ['file', 4, false], ['since', 5, true],
    ]);
    const forced = byName('forced');
    expect([names(forced.pathParams), names(forced.queryParams), names(forced.jsonParams), names(forced.fileParams)]).toEqual([[], [], ['a', 'b'], ['file']]);
    expect(forced.forceJsonParams).toBe(true);
    const upload = byName('upload');
    expect([names(upload.pathParams), upload.streamParam?.name, upload.resultKind, byName('select').resultKind]).toEqual([['name'], 'data', 'stream', 'json']);
    expect([byName('find').verifyAbstract, byName('select').verifyAbstract]).toEqual([false, true]);
  });

  it('writes URL templates in the reference documentation form', () => {
    expect(model.endpoints.map((e) => e.urlTemplate)).toEqual([
      '/shop/select/<id>/<count>?drop_duplicates=<drop_duplicates>&since=<since>',
      '/shop/forced',
      '/shop/find-one/<id>',
      '/shop/upload/<name>',
    ]);
  });

  it('refuses a class not marked @service', () => {
    class Plain {}
    expect(() => serviceModelOf(Plain)).toThrow(new ContractError('Plain is not a service contract: mark the class with @service()'));
    expect(isServiceContract(Plain)).toBe(false);
  });
});

describe('contracts inheriting endpoints', () => {
  @service()
  class IBase {
    @endpoint({ params: [['id', String]], returns: String })
    read(id: string): Promise<string> { return unimplemented(); }

    @endpoint({ params: [], returns: Int })
    count(): Promise<number> { return unimplemented(); }
  }
  @service()
  class IDerived extends IBase {
    @endpoint({ params: [['text', String]], returns: Void })
    write(text: string): Promise<void> { return unimplemented(); }

    @endpoint({ params: [['id', String], ['verbose', optional(Boolean)]], returns: String })
    override read(id: string, verbose?: boolean): Promise<string> { return unimplemented(); }
  }

  it('serves the parent endpoints under the child service name, the child redeclaration winning', () => {
    const model = serviceModelOf(IDerived);
    expect(model.name).toBe('derived');
    expect(model.endpoints.map((e) => [e.route, e.className])).toEqual([
      ['/derived/count', 'IDerived'],
      ['/derived/write', 'IDerived'],
      ['/derived/read', 'IDerived'],
    ]);
    expect(model.endpoints.find((e) => e.name === 'read')!.urlTemplate).toBe('/derived/read/<id>?verbose=<verbose>');
    expect(serviceModelOf(IBase).endpoints.map((e) => e.route)).toEqual(['/base/read', '/base/count']);
  });
});

describe('idempotent and access', () => {
  @service()
  class IDefaults {
    @endpoint({ params: [], returns: Int })
    count(): Promise<number> { return unimplemented(); }

    @endpoint({ params: [['id', String]], returns: String, idempotent: true, access: 'public' })
    read(id: string): Promise<string> { return unimplemented(); }
  }

  @service({ access: 'public' })
  class IPublic {
    @endpoint({ params: [], returns: Int, idempotent: false })
    count(): Promise<number> { return unimplemented(); }

    @endpoint({ params: [['text', String]], returns: Void, access: 'protected' })
    write(text: string): Promise<void> { return unimplemented(); }

    @websocket({ params: [['count', Int]], returns: stream(String), idempotent: true })
    lines(count: number): AsyncIterable<string> { return unimplemented(); }
  }

  const facts = (type: Function) => serviceModelOf(type).endpoints.map((e) => [e.methodName, e.idempotent, e.access]);

  it('are false and protected unless the contract says otherwise', () => {
    expect(facts(IDefaults)).toEqual([
      ['count', false, 'protected'],
      ['read', true, 'public'],
    ]);
  });

  it("take the service's access as the default, an endpoint's own access winning", () => {
    expect(facts(IPublic)).toEqual([
      ['count', false, 'public'],
      ['write', false, 'protected'],
      ['lines', true, 'public'],
    ]);
  });
});
