/**
 * Input the codecs refuse: the exact message and path of each SerializationError, keys that could
 * reach a prototype, and numbers JSON cannot carry.
 */
import { describe, expect, it } from 'vitest';
import { Bytes, type Descriptor, Int, Json, JsonObject, enumOf, optional, recordOf } from './descriptor.js';
import { field } from './field.js';
import { codecFor } from './codec.js';
import { Color, Level, errorOf } from './test-fixtures.js';

enum Signed {
  BELOW = -1,
  HALF = 0.5,
}

class Event {
  @field(Date) when!: Date;
}
class Batch {
  @field([Event]) data!: Event[];
}
class Base {
  @field(String) id!: string;
}
class Derived extends Base {
  @field(Int) extra!: number;
}
class Item {
  @field(String) name!: string;
  @field(optional(() => Step)) step?: Step;
}
// Kept apart from Item: vitest's esbuild renames a decorated class that refers to itself (_Tree), which messages would show.
class Tree {
  @field(String) name!: string;
  @field(optional([() => Tree])) children?: Tree[];
}
class Step {
  @field(Int) n!: number;
}

const fine = '2024-01-02T00:00:00Z';

describe('decode refuses', () => {
  it.each<[string, Descriptor, unknown, string]>([
    ['a number for a Date deep in a DTO', Batch, { data: [{ when: fine }, { when: fine }, { when: fine }, { when: 42 }] }, 'data[3].when: expected an ISO-8601 date string, got 42'],
    ['a number for a string', String, 3, 'expected a string, got 3'],
    ['a string for a number', Number, '3', 'expected a finite number, got "3"'],
    ['a fraction for an Int', Int, 1.5, 'expected an integer, got 1.5'],
    ['an unsafe integer', Int, 2 ** 53, 'expected an integer, got 9007199254740992'],
    ['a string for a boolean', Boolean, 'true', 'expected a boolean, got "true"'],
    ['a day that does not exist', Date, '2023-02-29', 'expected a valid date, got "2023-02-29"'],
    ['a day 31 in a 30-day month', Date, '2024-04-31T10:00:00Z', 'expected a valid date, got "2024-04-31T10:00:00Z"'],
    ['a month 13', Date, '2024-13-01', 'expected a valid date, got "2024-13-01"'],
    ['hour 25', Date, '2024-01-01T25:00:00', 'expected a valid date, got "2024-01-01T25:00:00"'],
    ['a date in another format', Date, '01/02/2024', 'expected an ISO-8601 date string, got "01/02/2024"'],
    ['unpadded base64', Bytes, { '@type': 'bytes', value: 'AAECAw' }, 'bytes value is not standard base64'],
    ['URL-safe base64', Bytes, { '@type': 'bytes', value: 'AA-_' }, 'bytes value is not standard base64'],
    ['another tag', Bytes, { '@type': 'file', value: 'AAECAw==' }, 'expected {"@type": "bytes", "value": "<base64>"}, got an object'],
    ['bare base64', Bytes, 'AAECAw==', 'expected {"@type": "bytes", "value": "<base64>"}, got "AAECAw=="'],
    ['an enum value instead of its name', enumOf(Color), 'red', 'expected one of "RED", "GREEN", got "red"'],
    ['a number for a numeric enum', enumOf(Level), 2, 'expected one of "LOW", "HIGH", got 2'],
    ['a negative numeric enum value as text', enumOf(Signed), '-1', 'expected one of "BELOW", "HALF", got "-1"'],
    ['a fractional numeric enum value as text', enumOf(Signed), '0.5', 'expected one of "BELOW", "HALF", got "0.5"'],
    ['an object for an array', [Int], { 0: 1 }, 'expected an array, got an object'],
    ['a bad array item', [Int], [1, 'x'], '[1]: expected an integer, got "x"'],
    ['an array for a record', recordOf(Int), [1], 'expected an object, got an array'],
    ['a bad record value', recordOf(Int), { a: 'x' }, 'a: expected an integer, got "x"'],
    ['a bad record value under an odd key', recordOf(Int), { 'my key': null }, '["my key"]: expected an integer, got null'],
    ['an array for a JsonObject', JsonObject, [], 'expected a JSON object, got an array'],
    ['null for a JsonObject', [JsonObject], [{}, null], '[1]: expected a JSON object, got null'],
    ['a string for a DTO', Item, 'x', 'expected an object for Item, got "x"'],
    ['a DTO without a required field', Item, {}, 'name: missing required field of Item'],
    ['a bad field of a nested DTO', Item, { name: 'a', step: { n: 1.5 } }, 'step.n: expected an integer, got 1.5'],
    ['a bad field two levels down', Tree, { name: 'a', children: [{ name: 'b' }, { name: 'c', children: [{ name: 7 }] }] }, 'children[1].children[0].name: expected a string, got 7'],
  ])('%s', (_, descriptor, json, message) => {
    expect(errorOf(() => codecFor(descriptor).decode(json)).message).toBe(message);
  });

  it('keeps the path as segments and the problem apart from it', () => {
    const error = errorOf(() => codecFor(Batch).decode({ data: [{ when: fine }, { when: 'soon' }] }));
    expect({ path: error.path, pathText: error.pathText, problem: error.problem }).toEqual({
      path: ['data', 1, 'when'],
      pathText: 'data[1].when',
      problem: 'expected an ISO-8601 date string, got "soon"',
    });
  });
});

describe('encode refuses', () => {
  it.each<[string, Descriptor, unknown, string]>([
    ['NaN', Number, NaN, 'expected a finite number, got NaN'],
    ['Infinity', Number, Infinity, 'expected a finite number, got Infinity'],
    ['-Infinity in an array', [Number], [1, -Infinity], '[1]: expected a finite number, got -Infinity'],
    ['NaN for an Int', Int, NaN, 'expected an integer, got NaN'],
    ['Infinity in a record', recordOf(Number), { x: Infinity }, 'x: expected a finite number, got Infinity'],
    ['an invalid Date in a DTO', Batch, { data: [{ when: new Date('x') }] }, 'data[0].when: expected a valid Date, got a Date'],
    ['a string for a Date', Date, fine, `expected a valid Date, got "${fine}"`],
    ['an array for Bytes', Bytes, [0, 1], 'expected bytes (a Uint8Array or Buffer), got an array'],
    ['a string that is not a member', enumOf(Color), 'purple', 'expected an enum member (one of "RED", "GREEN"), got "purple"'],
    ['a name instead of a member', enumOf(Color, { name: 'Color' }), 'RED', 'expected a member of Color (one of "RED", "GREEN"), got "RED"'],
    ['null for a DTO', Item, null, 'expected an instance of Item, got null'],
    ['a subclass instance', Base, Object.assign(new Derived(), { id: 'x', extra: 1 }), 'Derived is a subclass of Base but is not registered: mark it with @dto()'],
    ['NaN deep inside Json', Json, { a: [1, { b: NaN }] }, 'a[1].b: expected a finite number, got NaN'],
    ['Infinity in a JsonObject', JsonObject, { x: Infinity }, 'x: expected a finite number, got Infinity'],
    // JSON.stringify would write a Date as a string and a Map as {}: neither is an object of keys.
    ['a Date for a JsonObject', JsonObject, new Date(fine), 'expected a JSON object, got a Date'],
    ['a Map for a record', recordOf(Int), new Map([['a', 1]]), 'expected an object, got an instance of Map'],
  ])('%s', (_, descriptor, value, message) => {
    expect(errorOf(() => codecFor(descriptor).encode(value)).message).toBe(message);
  });

  it('takes an instance of a class as an object of keys, for a JsonObject and a record', () => {
    class Counts {
      a = 1;
    }
    expect(codecFor(JsonObject).encode(new Counts())).toEqual({ a: 1 });
    expect(codecFor(recordOf(Int)).encode(new Counts())).toEqual({ a: 1 });
  });
});

describe('keys that could reach a prototype', () => {
  const clean = () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  };

  it.each<[Descriptor, string, string]>([
    [recordOf(Int), '{"__proto__": {"polluted": 1}}', '__proto__: the key "__proto__" is not allowed'],
    [recordOf(Json), '{"constructor": {"prototype": {"polluted": 1}}}', 'constructor: the key "constructor" is not allowed'],
    [recordOf(Json), '{"prototype": {"polluted": 1}}', 'prototype: the key "prototype" is not allowed'],
    [recordOf(recordOf(Json)), '{"a": {"__proto__": {"polluted": 1}}}', 'a.__proto__: the key "__proto__" is not allowed'],
    [[recordOf(Int)], '[{}, {"__proto__": {"polluted": 1}}]', '[1].__proto__: the key "__proto__" is not allowed'],
  ])('refuses them in a record (%o ← %s)', (descriptor, text, message) => {
    expect(errorOf(() => codecFor(descriptor).decode(JSON.parse(text))).message).toBe(message);
    expect(errorOf(() => codecFor(descriptor).encode(JSON.parse(text))).message).toBe(message);
    clean();
  });

  it('ignores them in a DTO, which keeps its own prototype', () => {
    const step = codecFor(Step).decode(JSON.parse('{"n": 1, "__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}'));
    expect(Object.getPrototypeOf(step)).toBe(Step.prototype);
    expect(step).toEqual({ n: 1 });
    expect((step as unknown as Record<string, unknown>).polluted).toBeUndefined();
    clean();
  });
});
