/**
 * Contracts that cannot work fail while the class is being defined, with a ContractError whose
 * message names Class.method(parameter). Each case defines its class inside the assertion.
 */
import { describe, expect, it } from 'vitest';
import { Bytes, Int, Json, JsonObject, type JsonValue, Void, stream } from '@marshal/serialization/internal';
import { service } from '../decorators/service.js';
import { endpoint, websocket } from '../decorators/endpoint.js';
import { unimplemented } from '../unimplemented.js';
import { ContractError } from '../contract-error.js';
import { serviceModelOf } from './service-model.js';

/** Values the type checker would refuse, passed the way plain JavaScript callers could. */
const notADescriptor = 42 as unknown as typeof Json;
const twoItemArray = [String, Number] as unknown as typeof Json;

function contractErrorOf(define: () => unknown): string {
  try {
    define();
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    return (error as Error).message;
  }
  throw new Error('the contract was accepted');
}

describe('contract errors', () => {
  it('refuses a GET endpoint with a body parameter, naming it', () => {
    const message = contractErrorOf(() => {
      @service()
      class IGetBody {
        @endpoint({ params: [['id', String], ['data', [JsonObject]]], returns: Void, method: 'GET' })
        m(id: string, data: JsonObject[]): Promise<void> { return unimplemented(); }
      }
      return IGetBody;
    });
    expect(message).toBe('IGetBody.m(data): a GET endpoint cannot take a request body; use POST or make the parameter a URL primitive');
  });

  it('refuses a GET endpoint with a file parameter', () => {
    expect(
      contractErrorOf(() => {
        @service()
        class IGetFile {
          @endpoint({ params: [['file', Bytes]], returns: Void, method: 'GET' })
          m(file: Uint8Array): Promise<void> { return unimplemented(); }
        }
      }),
    ).toBe('IGetFile.m(file): a GET endpoint cannot take a request body; use POST or make the parameter a URL primitive');
  });

  it('refuses a parameter name used twice', () => {
    expect(
      contractErrorOf(() => {
        @service()
        class IDuplicate {
          @endpoint({ params: [['a', String], ['a', Int]], returns: Void })
          m(a: string, b: number): Promise<void> { return unimplemented(); }
        }
      }),
    ).toBe('IDuplicate.m(a): the parameter name is used twice');
  });

  it('refuses two stream parameters, naming the second', () => {
    expect(
      contractErrorOf(() => {
        @service()
        class ITwoStreams {
          @websocket({ params: [['a', stream(Bytes)], ['b', stream(String)]], returns: Void })
          m(a: AsyncIterable<Uint8Array>, b: AsyncIterable<string>): Promise<void> { return unimplemented(); }
        }
      }),
    ).toBe('ITwoStreams.m(b): an endpoint takes at most one stream parameter');
  });

  it('refuses a stream with JSON parameters over HTTP, but not over WebSocket', () => {
    expect(
      contractErrorOf(() => {
        @service()
        class IMixed {
          @endpoint({ params: [['s', stream(Bytes)], ['meta', JsonObject]], returns: Void })
          m(s: AsyncIterable<Uint8Array>, meta: JsonObject): Promise<void> { return unimplemented(); }
        }
      }),
    ).toBe('IMixed.m(s): over HTTP a stream parameter cannot be combined with JSON or file parameters; use @websocket');

    @service()
    class IMixedWs {
      @websocket({ params: [['s', stream(Bytes)], ['meta', JsonObject]], returns: Void })
      m(s: AsyncIterable<Uint8Array>, meta: JsonObject): Promise<void> { return unimplemented(); }
    }
    expect(serviceModelOf(IMixedWs).endpoints[0].transport).toBe('websocket');
  });

  it.each([
    ['a number', notADescriptor, 'IBadDescriptor.m(x): not a type descriptor: 42'],
    ['a two-item array', twoItemArray, 'IBadDescriptor.m(x): not a type descriptor: an array'],
    ['undefined', undefined as unknown as typeof Json, 'IBadDescriptor.m(x): not a type descriptor: undefined'],
  ])('refuses %s as a descriptor, naming Class.method(param)', (_, descriptor, expected) => {
    expect(
      contractErrorOf(() => {
        @service()
        class IBadDescriptor {
          @endpoint({ params: [['x', descriptor]], returns: Void })
          m(x: JsonValue): Promise<void> { return unimplemented(); }
        }
      }),
    ).toBe(expected);
  });

  it.each([
    ['a params entry that is not a pair', { params: ['x'], returns: Void }, `IBadOptions.m: params[0] must be a [name, descriptor] pair, got "x"`],
    ['a parameter name that is not an identifier', { params: [['1x', String]], returns: Void }, 'IBadOptions.m: params[0]: "1x" is not a valid parameter name'],
    ['params that are not an array', { params: 'x', returns: Void }, "IBadOptions.m: 'params' must list the parameters as [name, descriptor] pairs"],
    ['a missing returns', { params: [] }, "IBadOptions.m: 'returns' must be a type descriptor (Void for no result), got undefined"],
    ['an unknown HTTP method', { params: [], returns: Void, method: 'PUT' }, `IBadOptions.m: method must be 'GET' or 'POST', got "PUT"`],
    ['an endpoint name that is not a URL segment', { params: [], returns: Void, name: 'a/b' }, 'IBadOptions.m: endpoint name "a/b" is not a valid URL segment'],
    ['an idempotent flag that is not a boolean', { params: [], returns: Void, idempotent: 'yes' }, 'IBadOptions.m: idempotent must be true or false, got "yes"'],
    ['an unknown access', { params: [], returns: Void, access: 'private' }, `IBadOptions.m: access must be 'public' or 'protected', got "private"`],
  ])('refuses %s', (_, options, expected) => {
    expect(
      contractErrorOf(() => {
        @service()
        class IBadOptions {
          @endpoint(options as unknown as { params: []; returns: typeof Void })
          m(): Promise<void> { return unimplemented(); }
        }
      }),
    ).toBe(expected);
  });

  it('refuses two methods with the same endpoint name', () => {
    expect(
      contractErrorOf(() => {
        @service()
        class IClash {
          @endpoint({ params: [], returns: Void })
          json_only(): Promise<void> { return unimplemented(); }

          @endpoint({ params: [], returns: Void })
          jsonOnly(): Promise<void> { return unimplemented(); }
        }
      }),
    ).toBe("IClash.jsonOnly: endpoint name 'json-only' is already used by json_only");
  });

  it('refuses a service without endpoints, a service name that is not a URL segment, and an unknown access', () => {
    expect(contractErrorOf(() => service()(class IEmpty {}))).toBe('IEmpty: a service needs at least one method marked @endpoint or @websocket');
    expect(
      contractErrorOf(() => {
        @service({ name: 'my service' })
        class IBadName {
          @endpoint({ params: [], returns: Void })
          m(): Promise<void> { return unimplemented(); }
        }
      }),
    ).toBe(`IBadName: service name "my service" must be a URL segment of letters, digits, '.', '_', '~' or '-'`);
    expect(
      contractErrorOf(() => {
        @service({ access: 'open' as 'public' })
        class IBadAccess {
          @endpoint({ params: [], returns: Void })
          m(): Promise<void> { return unimplemented(); }
        }
      }),
    ).toBe(`IBadAccess: access must be 'public' or 'protected', got "open"`);
  });
});
