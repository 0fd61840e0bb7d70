/**
 * Compile-time checks of contracts: `tsc -b` (part of `pnpm test`) fails if a line marked
 * @ts-expect-error compiles, so each mismatch below must stay a compile error. `@ts-expect-error`
 * takes any error, so each one is preceded by `expect:` lines, and contract-check.test.ts
 * compiles this file with the markers off and checks that the errors on each marked line are
 * the expected ones and only those (whitespace and `readonly` aside). For endpoints, an
 * expectation is a contract-mismatch object as the compiler prints it (one per problem); for
 * fields, a piece of the compiler's message.
 */
import { endpoint, service, unimplemented, optional, nullable, Json, JsonObject, Void, Int, enumOf, stream, Bytes, field, constrained } from '@marshal/core';

class Item {
  @field(String) text!: string;
  @field(optional(Int)) rank?: number;
}

enum Color { RED = 'red', GREEN = 'green' }

@service()
export class IGood {
  @endpoint({ params: [['id', String], ['data', [JsonObject]], ['drop_duplicates', optional(Boolean)]], returns: [String] })
  select(id: string, data: JsonObject[], drop_duplicates?: boolean | null): Promise<string[]> { return unimplemented(); }

  @endpoint({ params: [['items', [Item]], ['color', enumOf(Color)]], returns: nullable(Item) })
  pick(items: readonly Item[], color: Color): Promise<Item | null> { return unimplemented(); }

  @endpoint({ params: [['items', [() => Later]]], returns: Void })
  store(items: Later[]): Promise<void> { return unimplemented(); }

  @endpoint({ params: [['file', Bytes]], returns: Int })
  size(file: Uint8Array): Promise<number> { return unimplemented(); }

  @endpoint({ params: [['prompt', String]], returns: stream(String) })
  tokens(prompt: string): AsyncIterable<string> { return unimplemented(); }

  @endpoint({ params: [['name', constrained(String, { maxLength: 20 })], ['limit', optional(constrained(Int, { min: 1 }))]], returns: constrained([String], { maxItems: 20 }) })
  bounded(name: string, limit?: number): Promise<string[]> { return unimplemented(); }
}

class Later {
  @field(Date) when!: Date;
}

@service()
export class IBad {
  // expect: { 'contract mismatch': "parameter 'items': the method's type cannot hold what the descriptor decodes to";
  //           'the method takes': string; 'the descriptor decodes to': Item[] }
  // @ts-expect-error the descriptor says [Item] while the method takes a string
  @endpoint({ params: [['items', [Item]]], returns: Void })
  wrongParam(items: string): Promise<void> { return unimplemented(); }

  // expect: { 'contract mismatch': "the result: the method's return type cannot hold what `returns` decodes to";
  //           'the method resolves to': number[]; '`returns` decodes to': string[] }
  // @ts-expect-error the method returns number[] while returns says [String]
  @endpoint({ params: [], returns: [String] })
  wrongResult(): Promise<number[]> { return unimplemented(); }

  // expect: { 'contract mismatch': "parameter 'id': the method's type cannot hold what the descriptor decodes to";
  //           'the method takes': number; 'the descriptor decodes to': string }
  // expect: { 'contract mismatch': "parameter 'count': the method's type cannot hold what the descriptor decodes to";
  //           'the method takes': string; 'the descriptor decodes to': number }
  // @ts-expect-error the parameters are in another order than described
  @endpoint({ params: [['id', String], ['count', Int]], returns: Void })
  swapped(count: number, id: string): Promise<void> { return unimplemented(); }

  // expect: { 'contract mismatch': "the method takes more parameters than `params` describes";
  //           'the method takes': [id: string, extra: number]; '`params` describes': ["id"] }
  // @ts-expect-error a parameter the method takes is not described
  @endpoint({ params: [['id', String]], returns: Void })
  undescribed(id: string, extra: number): Promise<void> { return unimplemented(); }

  // expect: { 'contract mismatch': "parameter 'page' is described but the method does not take it"; 'the method takes': [id: string] }
  // @ts-expect-error a described parameter the method does not take
  @endpoint({ params: [['id', String], ['page', Int]], returns: Void })
  missing(id: string): Promise<void> { return unimplemented(); }

  // expect: { 'contract mismatch': "parameter 'flag': the method's type cannot hold what the descriptor decodes to";
  //           'the method takes': boolean; 'the descriptor decodes to': boolean | undefined }
  // @ts-expect-error optional() arrives as undefined, which a plain boolean cannot hold
  @endpoint({ params: [['flag', optional(Boolean)]], returns: Void })
  notOptional(flag: boolean): Promise<void> { return unimplemented(); }

  // expect: { 'contract mismatch': "parameter 'n': the method accepts values the descriptor cannot carry";
  //           'the method takes': string | number; 'the descriptor accepts': number }
  // @ts-expect-error callers may pass a string, which Int cannot encode
  @endpoint({ params: [['n', Int]], returns: Void })
  tooWide(n: number | string): Promise<void> { return unimplemented(); }

  // expect: { 'contract mismatch': "the method must return a Promise: a remote call is asynchronous"; 'the method returns': string }
  // @ts-expect-error a remote call is asynchronous: the method must return a Promise
  @endpoint({ params: [], returns: String })
  synchronous(): string { return unimplemented(); }

  // expect: { 'contract mismatch': "the result: the method's return type cannot hold what `returns` decodes to";
  //           'the method resolves to': Item | null; '`returns` decodes to': Item | undefined }
  // @ts-expect-error optional() gives undefined, the method promises null
  @endpoint({ params: [], returns: optional(Item) })
  nullResult(): Promise<Item | null> { return unimplemented(); }

  // expect: { 'contract mismatch': "the result: the method returns values `returns` cannot carry";
  //           'the method resolves to': string | number; '`returns` accepts': string }
  // @ts-expect-error the method may resolve to a number, which String cannot encode
  @endpoint({ params: [], returns: String })
  wideResult(): Promise<string | number> { return unimplemented(); }

  // expect: { 'contract mismatch': "a stream result: the method must return AsyncIterable of the item type";
  //           'the method returns': Promise<string[]>; '`returns` decodes to': AsyncIterable<string> }
  // @ts-expect-error stream() results are AsyncIterables, not promises of arrays
  @endpoint({ params: [], returns: stream(String) })
  notStreamed(): Promise<string[]> { return unimplemented(); }

  // expect: { 'contract mismatch': "parameter 'callback': the method's type cannot hold what the descriptor decodes to";
  //           'the method takes': () => void; 'the descriptor decodes to': JsonValue }
  // @ts-expect-error a Json value is never a function
  @endpoint({ params: [['callback', Json]], returns: Void })
  jsonFunction(callback: () => void): Promise<void> { return unimplemented(); }

  // expect: { 'contract mismatch': "parameter 'price': the method's type cannot hold what the descriptor decodes to";
  //           'the method takes': Money; 'the descriptor decodes to': JsonObject }
  // @ts-expect-error a JsonObject arrives as a plain object, without Money's methods
  @endpoint({ params: [['price', JsonObject]], returns: Void })
  jsonInstance(price: Money): Promise<void> { return unimplemented(); }

  // expect: { 'contract mismatch': "parameter 'meta': the method accepts values the descriptor cannot carry";
  //           'the method takes': Record<string, unknown>; 'the descriptor accepts': JsonObjectInput }
  // @ts-expect-error callers could pass members that are not JSON (a Date, a function)
  @endpoint({ params: [['meta', JsonObject]], returns: Void })
  jsonTooWide(meta: Record<string, unknown>): Promise<void> { return unimplemented(); }
}

class Money {
  amount = 0;
  plus(other: Money): Money {
    return Object.assign(new Money(), { amount: this.amount + other.amount });
  }
}

export class WrongConstraints {
  // expect: 'min' does not exist in type 'StringConstraints'
  // @ts-expect-error min/max bound numbers, not strings
  @field(constrained(String, { min: 1 })) name!: string;
  // expect: Type 'string' is not assignable to type 'number'
  // @ts-expect-error the constrained descriptor still says Int, the field is a string
  @field(constrained(Int, { max: 9 })) digit!: string;
  // expect: 'maxLength' does not exist in type 'ItemConstraints'
  // @ts-expect-error maxLength bounds strings; an array takes minItems/maxItems
  @field(constrained([String], { maxLength: 3 })) tags!: string[];
}

export class WrongField {
  // expect: Type 'number' is not assignable to type 'string'
  // @ts-expect-error the field is a number, the descriptor says String
  @field(String) count!: number;
}
