/** What `new Server(…)` refuses: everything is checked when the server is built, before any call. */
import { describe, expect, it } from 'vitest';
import { Bytes, ContractError, Int, Void, endpoint, service, stream, unimplemented, websocket } from '@marshal/core/internal';
import { Server } from './server.js';

@service()
class ICounter {
  @endpoint({ params: [['by', Int]], returns: Int })
  add(by: number): Promise<number> { return unimplemented(); }

  @endpoint({ params: [], returns: Int })
  read(): Promise<number> { return unimplemented(); }

  @endpoint({ params: [], returns: Void, verifyAbstract: false })
  reset(): Promise<void> { return unimplemented(); }
}

class Counter extends ICounter {
  value = 0;
  override async add(by: number) { return (this.value += by); }
  override async read() { return this.value; }
}

/** Overrides add only: read is left as the contract wrote it. */
class HalfCounter extends ICounter {
  override async add(by: number) { return by; }
}

@service({ name: 'counter' })
class IOtherCounter {
  @endpoint({ params: [], returns: Int })
  read(): Promise<number> { return unimplemented(); }
}
class OtherCounter extends IOtherCounter {
  override async read() { return 0; }
}

function constructionError(services: readonly object[], options: { verifyAbstract?: boolean } = {}): Error {
  try {
    new Server({ services, ...options });
  } catch (error) {
    return error as Error;
  }
  throw new Error('the server was built');
}

describe('new Server(…)', () => {
  it('builds from a complete implementation; endpoints marked verifyAbstract: false may stay unimplemented', () => {
    expect(() => new Server({ services: [new Counter()] })).not.toThrow();
  });

  it('refuses an implementation that does not override an endpoint, naming the method', () => {
    const error = constructionError([new HalfCounter()]);
    expect(error).toBeInstanceOf(ContractError);
    expect(error.message).toBe(
      'HalfCounter does not implement ICounter: read (override them, or set verifyAbstract: false on the endpoint or the server)',
    );
  });

  it('names every missing method', () => {
    class Empty extends ICounter {}
    expect(constructionError([new Empty()]).message).toMatch(/^Empty does not implement ICounter: add, read \(/);
  });

  it('accepts it with verifyAbstract: false on the server', () => {
    expect(() => new Server({ services: [new HalfCounter()], verifyAbstract: false })).not.toThrow();
  });

  it('refuses two services with the same name', () => {
    const twoNames = constructionError([new Counter(), new OtherCounter()]);
    expect(twoNames).toBeInstanceOf(ContractError);
    expect(twoNames.message).toBe("two services are named 'counter': ICounter and IOtherCounter");
    expect(constructionError([new Counter(), new Counter()]).message).toBe("two services are named 'counter': ICounter and ICounter");
  });

  it.each([
    ['a plain object', {}, 'Object does not extend a service contract: an implementation extends a class marked @service()'],
    ['an object without a prototype', Object.create(null), 'object does not extend a service contract: an implementation extends a class marked @service()'],
    ['the contract class itself', ICounter, 'Function does not extend a service contract: an implementation extends a class marked @service()'],
    ['an instance of an unrelated class', new (class Loose { read() {} })(), 'Loose does not extend a service contract: an implementation extends a class marked @service()'],
  ])('refuses %s as a service', (_, implementation, message) => {
    const error = constructionError([implementation]);
    expect(error).toBeInstanceOf(ContractError);
    expect(error.message).toBe(message);
  });

  it('refuses what HTTP cannot carry (a stream of values as a parameter), which a WebSocket endpoint takes', () => {
    @service()
    class IValues {
      @endpoint({ params: [['values', stream(Int)]], returns: Void, verifyAbstract: false })
      async upload(values: AsyncIterable<number>): Promise<void> {}
    }
    @service()
    class ISocket {
      @websocket({ params: [['values', stream(Int)]], returns: stream(String), verifyAbstract: false })
      async *lines(values: AsyncIterable<number>): AsyncIterable<string> {}
    }
    expect(constructionError([new IValues()]).message).toBe(
      'IValues.upload(values): over HTTP a stream parameter carries bytes (stream(Bytes)); a stream of values needs @websocket',
    );
    expect(() => new Server({ services: [new ISocket()] })).not.toThrow();
  });

  it('refuses a parameter type that cannot be resolved, naming Class.method(param)', () => {
    let NotYet: (new () => object) | undefined;
    class Bare {}
    @service()
    class IUnresolved {
      @endpoint({ params: [['later', () => NotYet as new () => object]], returns: Void })
      later(later: object): Promise<void> { return unimplemented(); }
    }
    @service()
    class IBare {
      @endpoint({ params: [], returns: Bare })
      bare(): Promise<Bare> { return unimplemented(); }
    }
    class Unresolved extends IUnresolved {
      override async later() {}
    }
    class BareImpl extends IBare {
      override async bare() { return new Bare(); }
    }
    expect(constructionError([new Unresolved()]).message).toBe(
      'IUnresolved.later(later): a () => Class thunk returned undefined; is the class declared and exported?',
    );
    expect(constructionError([new BareImpl()]).message).toBe(
      "IBare.bare result: class Bare has no declared fields: mark them with @field(…), or use class-transformer's @Type/@Expose and import '@marshal/serialization/class-transformer'",
    );
  });
});
