/**
 * A contract made to exercise every error path of the server: path parameters of each primitive
 * type, optional query parameters, JSON parameters with nested DTOs, a GET endpoint, and endpoints
 * that throw, return a wrong value, or wait until the test lets them finish.
 */
import { Int, JsonObject, endpoint, enumOf, field, optional, service, unimplemented } from '@marshal/core';

export enum Color {
  RED = 'red',
  GREEN = 'green',
}

export class Tag {
  @field(String) label!: string;
  @field(enumOf(Color)) color!: Color;
}

export class Item {
  @field(String) name!: string;
  @field(Date) when!: Date;
  @field(enumOf(Color)) color!: Color;
  @field(optional([() => Tag])) tags?: Tag[];
}

@service()
export class IProbe {
  @endpoint({
    params: [
      ['s', String],
      ['n', Number],
      ['i', Int],
      ['b', Boolean],
      ['d', Date],
      ['c', enumOf(Color)],
      ['limit', optional(Int)],
      ['flag', optional(Boolean)],
    ],
    returns: JsonObject,
  })
  echo(s: string, n: number, i: number, b: boolean, d: Date, c: Color, limit?: number, flag?: boolean): Promise<JsonObject> {
    return unimplemented();
  }

  @endpoint({ params: [['id', Int]], returns: String, method: 'GET' })
  lookup(id: number): Promise<string> {
    return unimplemented();
  }

  @endpoint({
    params: [
      ['owner', String],
      ['item', Item],
      ['items', [Item]],
      ['records', [JsonObject]],
      ['extra', optional(Item)],
    ],
    returns: JsonObject,
  })
  save(owner: string, item: Item, items: Item[], records: JsonObject[], extra?: Item): Promise<JsonObject> {
    return unimplemented();
  }

  @endpoint({ params: [['message', String]], returns: Int })
  fail(message: string): Promise<number> {
    return unimplemented();
  }

  @endpoint({ params: [], returns: [Item] })
  badResult(): Promise<Item[]> {
    return unimplemented();
  }

  @endpoint({ params: [['size', Int]], returns: String })
  slow(size: number): Promise<string> {
    return unimplemented();
  }
}

/** A promise with its resolve function, for tests that must wait for an event rather than a time. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export class Probe extends IProbe {
  /** Resolved when slow() has been entered. */
  readonly slowEntered = deferred();
  /** slow() answers once the test resolves this. */
  readonly slowRelease = deferred();
  /** Resolved when slow() has returned its value. */
  readonly slowReturned = deferred();

  override async echo(s: string, n: number, i: number, b: boolean, d: Date, c: Color, limit?: number, flag?: boolean) {
    return {
      s,
      n,
      i,
      b,
      d: d.toISOString(),
      c,
      limit: limit ?? 'absent',
      flag: flag ?? 'absent',
      types: [s, n, i, b].map((value) => typeof value),
    };
  }

  override async lookup(id: number) {
    return `item ${id}`;
  }

  override async save(owner: string, item: Item, items: Item[], records: JsonObject[], extra?: Item) {
    return {
      owner,
      item: { isItem: item instanceof Item, when: item.when.toISOString(), color: item.color, tagIsTag: item.tags?.[0] instanceof Tag },
      items: items.length,
      records,
      extra: extra === undefined ? 'absent' : extra.name,
    };
  }

  override async fail(message: string): Promise<number> {
    throw new TypeError(message);
  }

  override async badResult(): Promise<Item[]> {
    return [
      { name: 'fine', when: new Date(0), color: Color.RED },
      { name: 'broken', when: 'yesterday' as unknown as Date, color: Color.GREEN },
    ];
  }

  override async slow(size: number): Promise<string> {
    this.slowEntered.resolve();
    await this.slowRelease.promise;
    this.slowReturned.resolve();
    return 'x'.repeat(size);
  }
}
