/**
 * tuple, setOf, mapOf and recordOf, both ways, and what each refuses. How each travels:
 *   tuple(A, B)   a JSON array of exactly that length, position i in A's/B's form
 *   setOf(D)      a JSON array in the Set's insertion order; duplicates collapse on input
 *   mapOf(K, V)   a JSON object: each key in its URL text form (String as is, numbers as
 *                 decimals, Boolean as True/False, Date as ISO-8601, an enum as its wire token)
 *   recordOf(D)   a JSON object whose keys are the record's own keys
 */
import { describe, expect, it } from 'vitest';
import { type Descriptor, Int, enumOf, mapOf, optional, recordOf, setOf, tuple } from './descriptor.js';
import { codecFor } from './codec.js';
import { type BothWays, Color, Level, errorOf, itEncodesAndDecodes, typeErrorOf } from './test-fixtures.js';

const when = new Date('2025-01-15T12:00:00.000Z');
const iso = '2025-01-15T12:00:00.000Z';

const fixtures: BothWays[] = [
  ['tuple(String, Int)', tuple(String, Int), ['a', 1], ['a', 1]],
  ['tuple(Date, enumOf(Color), [Int])', tuple(Date, enumOf(Color), [Int]), [when, Color.GREEN, [1, 2]], [iso, 'GREEN', [1, 2]]],
  ['setOf(Int)', setOf(Int), new Set([3, 1, 2]), [3, 1, 2]],
  ['setOf(Date)', setOf(Date), new Set([when]), [iso]],
  ['mapOf(String, Int)', mapOf(String, Int), new Map([['a', 1], ['with space', 2]]), { a: 1, 'with space': 2 }],
  ['mapOf(Int, String)', mapOf(Int, String), new Map([[1, 'one'], [-2, 'minus two']]), { '1': 'one', '-2': 'minus two' }],
  ['mapOf(Number, Boolean)', mapOf(Number, Boolean), new Map([[0.5, true], [1e21, false]]), { '0.5': true, '1e+21': false }],
  ['mapOf(Boolean, Int)', mapOf(Boolean, Int), new Map([[true, 1], [false, 0]]), { True: 1, False: 0 }],
  ['mapOf(enumOf(Color), Int), by name', mapOf(enumOf(Color), Int), new Map([[Color.GREEN, 1]]), { GREEN: 1 }],
  ['mapOf(enumOf(Level, byValue), String), by value', mapOf(enumOf(Level, { byValue: true }), String), new Map([[Level.HIGH, 'h']]), { '2': 'h' }],
  ['mapOf(Date, Int)', mapOf(Date, Int), new Map([[when, 1]]), { [iso]: 1 }],
  ['mapOf(String, setOf(Int))', mapOf(String, setOf(Int)), new Map([['s', new Set([1])]]), { s: [1] }],
  ['recordOf(tuple(Int, Int))', recordOf(tuple(Int, Int)), { origin: [0, 0], corner: [3, 4] }, { origin: [0, 0], corner: [3, 4] }],
  ['recordOf(setOf(String))', recordOf(setOf(String)), { tags: new Set(['x', 'y']) }, { tags: ['x', 'y'] }],
];

describe('collections both ways', () => {
  itEncodesAndDecodes(fixtures);

  it('collapses duplicates into the Set, and encodes an array given for a Set', () => {
    expect(codecFor(setOf(Int)).decode([1, 1, 2])).toStrictEqual(new Set([1, 2]));
    expect(codecFor(setOf(Int)).encode([2, 1])).toStrictEqual([2, 1]);
  });

  it('reads a Map in the order of the JSON object, where integer-like keys come first, ascending', () => {
    const json = codecFor(mapOf(Int, String)).encode(new Map([[10, 'b'], [2, 'a']]));
    expect([...codecFor(mapOf(Int, String)).decode(json).keys()]).toEqual([2, 10]);
  });

  it('reads a decimal key in any decimal spelling', () => {
    expect(codecFor(mapOf(Number, Int)).decode({ '1e3': 1, '-.5': 2 })).toStrictEqual(new Map([[1000, 1], [-0.5, 2]]));
  });

  // The reference writes a dict[bool, V]'s keys as Python's str(): True/False. JavaScript's object
  // keys from booleans are true/false. Both are read, as in URLs.
  it('reads a boolean key as True/False, true/false or 1/0', () => {
    const codec = codecFor(mapOf(Boolean, Int));
    const both = new Map([[true, 1], [false, 0]]);
    expect(codec.decode({ True: 1, False: 0 })).toStrictEqual(both);
    expect(codec.decode({ true: 1, false: 0 })).toStrictEqual(both);
    expect(codec.decode({ '1': 1, '0': 0 })).toStrictEqual(new Map([[false, 0], [true, 1]]));
  });

  it("reads Python's spelling of float keys", () => {
    expect(codecFor(mapOf(Number, Int)).decode({ '1.0': 1, '1e-07': 2 })).toStrictEqual(new Map([[1, 1], [1e-7, 2]]));
  });
});

describe('collections refuse', () => {
  it.each<[string, Descriptor, unknown, string]>([
    ['a shorter array for a tuple', tuple(String, Int), ['a'], 'expected an array of 2, got an array'],
    ['a longer array for a tuple', tuple(String, Int), ['a', 1, 2], 'expected an array of 2, got an array'],
    ['an object for a tuple', tuple(String, Int), { 0: 'a', 1: 1 }, 'expected an array of 2, got an object'],
    ['a wrong type at a position', tuple(String, Int), ['a', 'b'], '[1]: expected an integer, got "b"'],
    ['an object for a Set', setOf(Int), { a: 1 }, 'expected an array, got an object'],
    ['a bad Set element', setOf(Int), [1, 0.5], '[1]: expected an integer, got 0.5'],
    ['an array for a Map', mapOf(String, Int), [['a', 1]], 'expected an object, got an array'],
    ['a Map key that is not a number', mapOf(Int, Int), { x: 1 }, 'x: expected an integer, got "x"'],
    ['a Map key that is not an integer', mapOf(Int, Int), { '1.5': 1 }, '["1.5"]: expected an integer, got 1.5'],
    ['a hexadecimal Map key', mapOf(Int, Int), { '0x10': 1 }, '["0x10"]: expected an integer, got "0x10"'],
    ['a Map key with spaces', mapOf(Number, Int), { ' 1': 1 }, '[" 1"]: expected a number, got " 1"'],
    ['an empty Map key for a number', mapOf(Number, Int), { '': 1 }, '[""]: expected a number, got ""'],
    ['a Map key out of range', mapOf(Number, Int), { '1e999': 1 }, '["1e999"]: expected a finite number, got Infinity'],
    ['a Map key that is not a boolean', mapOf(Boolean, Int), { yes: 1 }, 'yes: expected True/true/1 or False/false/0, got "yes"'],
    ['a Map key in capitals', mapOf(Boolean, Int), { TRUE: 1 }, 'TRUE: expected True/true/1 or False/false/0, got "TRUE"'],
    ['a Map key that is not a date', mapOf(Date, Int), { yesterday: 1 }, 'yesterday: expected an ISO-8601 date string, got "yesterday"'],
    ['a Map key that is an enum value, not its name', mapOf(enumOf(Color), Int), { green: 1 }, 'green: expected one of "RED", "GREEN", got "green"'],
    ['a bad Map value', mapOf(String, Int), { a: 'x' }, 'a: expected an integer, got "x"'],
    ['a bad record value in a tuple', recordOf(tuple(Int, Int)), { p: [0, 'x'] }, 'p[1]: expected an integer, got "x"'],
  ])('on decode, %s', (_, descriptor, json, message) => {
    expect(errorOf(() => codecFor(descriptor).decode(json)).message).toBe(message);
  });

  it.each<[string, Descriptor, unknown, string]>([
    ['a shorter array for a tuple', tuple(String, Int), ['a'], 'expected an array of 2, got an array'],
    ['a longer array for a tuple', tuple(String, Int), ['a', 1, 2], 'expected an array of 2, got an array'],
    ['an object for a Set', setOf(Int), { a: 1 }, 'expected a Set, got an object'],
    ['a plain object for a Map', mapOf(String, Int), { a: 1 }, 'expected a Map, got an object'],
    ['a Map key of the wrong type', mapOf(Int, Int), new Map([['1', 1]]), 'expected an integer, got "1"'],
    ['a Map key that is not a member', mapOf(enumOf(Color), Int), new Map([['purple', 1]]), 'expected an enum member (one of "RED", "GREEN"), got "purple"'],
  ])('on encode, %s', (_, descriptor, value, message) => {
    expect(errorOf(() => codecFor(descriptor).encode(value)).message).toBe(message);
  });

  it('takes only keys with a text form', () => {
    expect(typeErrorOf(() => codecFor(mapOf([Int], Int)))).toBe('mapOf(…) keys must be String, Number, Int, Boolean, Date or an enum, not array');
    // A key is always there: optional(…) is looked through in a URL, but not here.
    expect(typeErrorOf(() => codecFor(mapOf(optional(String), Int)))).toBe('mapOf(…) keys must be String, Number, Int, Boolean, Date or an enum, not optional');
  });
});
