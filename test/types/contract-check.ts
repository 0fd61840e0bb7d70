/**
 * Compile-time checks of contracts: `tsc -b` (part of `pnpm test`) fails if a line marked
 * @ts-expect-error compiles, so each mismatch below must stay a compile error.
 */
import { endpoint, service, unimplemented, optional, nullable, JsonObject, Void, Int, enumOf, stream, Bytes, field, constrained } from '@marshal/core';

class Item {
  @field(String) text!: string;
  @field(optional(Int)) rank?: number;
}

enum Color { RED = 'red', GREEN = 'green' }

@service()
export class IGood {
  @endpoint({ params: [['id', String], ['data', [JsonObject]], ['drop_duplicates', optional(Boolean)]], returns: [String] })
  select(id: string, data: Record<string, unknown>[], drop_duplicates?: boolean | null): Promise<string[]> { return unimplemented(); }

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
  // @ts-expect-error the descriptor says [Item] while the method takes a string
  @endpoint({ params: [['items', [Item]]], returns: Void })
  wrongParam(items: string): Promise<void> { return unimplemented(); }

  // @ts-expect-error the method returns number[] while returns says [String]
  @endpoint({ params: [], returns: [String] })
  wrongResult(): Promise<number[]> { return unimplemented(); }

  // @ts-expect-error the parameters are in another order than described
  @endpoint({ params: [['id', String], ['count', Int]], returns: Void })
  swapped(count: number, id: string): Promise<void> { return unimplemented(); }

  // @ts-expect-error a parameter the method takes is not described
  @endpoint({ params: [['id', String]], returns: Void })
  undescribed(id: string, extra: number): Promise<void> { return unimplemented(); }

  // @ts-expect-error optional() arrives as undefined, which a plain boolean cannot hold
  @endpoint({ params: [['flag', optional(Boolean)]], returns: Void })
  notOptional(flag: boolean): Promise<void> { return unimplemented(); }

  // @ts-expect-error a remote call is asynchronous: the method must return a Promise
  @endpoint({ params: [], returns: String })
  synchronous(): string { return unimplemented(); }

  // @ts-expect-error optional() gives undefined, the method promises null
  @endpoint({ params: [], returns: optional(Item) })
  nullResult(): Promise<Item | null> { return unimplemented(); }
}

export class WrongConstraints {
  // @ts-expect-error min/max bound numbers, not strings
  @field(constrained(String, { min: 1 })) name!: string;
  // @ts-expect-error the constrained descriptor still says Int, the field is a string
  @field(constrained(Int, { max: 9 })) digit!: string;
  // @ts-expect-error maxLength bounds strings; an array takes minItems/maxItems
  @field(constrained([String], { maxLength: 3 })) tags!: string[];
}

export class WrongField {
  // @ts-expect-error the field is a number, the descriptor says String
  @field(String) count!: number;
}
