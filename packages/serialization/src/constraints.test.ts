/**
 * constrained(D, bounds): bounds checked on decode and encode, errors that say which bound and
 * where, and bounds that cannot apply refused where the descriptor is written.
 */
import { describe, expect, it } from 'vitest';
import { Int, Json, optional, setOf } from './descriptor.js';
import { constrained } from './constraints.js';
import { field } from './field.js';
import { codecFor, issuesOf } from './codec.js';
import { toTypeNode } from './type-node.js';
import { errorOf } from './test-fixtures.js';

const Name = constrained(String, { minLength: 2, maxLength: 5 });
const Slug = constrained(String, { pattern: /^[a-z]+(?:-[a-z]+)*$/ });
const Percent = constrained(Number, { min: 0, max: 100 });
const Tags = constrained([String], { minItems: 1, maxItems: 3 });

describe('strings', () => {
  const name = codecFor(Name);

  it('accepts lengths within the bounds, both ways', () => {
    expect(name.decode('ab')).toBe('ab');
    expect(name.decode('abcde')).toBe('abcde');
    expect(name.encode('abc')).toBe('abc');
  });

  it('refuses a string too short or too long, saying which bound', () => {
    expect(errorOf(() => name.decode('a')).message).toBe('expected a string of at least 2 characters, got "a"');
    expect(errorOf(() => name.decode('abcdef')).message).toBe('expected a string of at most 5 characters, got "abcdef"');
    expect(errorOf(() => name.encode('abcdef')).message).toBe('expected a string of at most 5 characters, got "abcdef"');
  });

  it('counts code points, as JSON Schema does, not UTF-16 units', () => {
    expect(name.decode('🙂🙂🙂🙂🙂')).toBe('🙂🙂🙂🙂🙂'); // 10 UTF-16 units
    expect(() => name.decode('🙂🙂🙂🙂🙂🙂')).toThrow('at most 5 characters');
    expect(() => name.decode('🙂')).toThrow('at least 2 characters');
  });

  it('still checks the type first', () => {
    expect(errorOf(() => name.decode(42)).message).toBe('expected a string, got 42');
  });

  it('searches for a pattern, as JSON Schema does; ^…$ anchors it', () => {
    const slug = codecFor(Slug);
    expect(slug.decode('marshal-rpc')).toBe('marshal-rpc');
    expect(errorOf(() => slug.decode('Marshal RPC')).message).toBe('expected a string matching /^[a-z]+(?:-[a-z]+)*$/, got "Marshal RPC"');
    expect(codecFor(constrained(String, { pattern: 'b+' })).decode('abba')).toBe('abba');
  });
});

describe('numbers', () => {
  it('keeps a number within inclusive bounds', () => {
    const percent = codecFor(Percent);
    expect(percent.decode(0)).toBe(0);
    expect(percent.decode(100)).toBe(100);
    expect(errorOf(() => percent.decode(-0.5)).message).toBe('expected a number ≥ 0, got -0.5');
    expect(errorOf(() => percent.encode(101)).message).toBe('expected a number ≤ 100, got 101');
  });

  it('bounds an Int and keeps its integer check', () => {
    const page = codecFor(constrained(Int, { min: 1 }));
    expect(page.decode(1)).toBe(1);
    expect(errorOf(() => page.decode(0)).message).toBe('expected a number ≥ 1, got 0');
    expect(errorOf(() => page.decode(1.5)).message).toBe('expected an integer, got 1.5');
  });
});

describe('arrays and sets', () => {
  it('counts the items of an array', () => {
    const tags = codecFor(Tags);
    expect(tags.decode(['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(errorOf(() => tags.decode([])).message).toBe('expected at least 1 item, got 0');
    expect(errorOf(() => tags.decode(['a', 'b', 'c', 'd'])).message).toBe('expected at most 3 items, got 4');
    expect(errorOf(() => tags.encode(['a', 'b', 'c', 'd'])).message).toBe('expected at most 3 items, got 4');
  });

  it('counts a set as its JSON array on input and by size on output', () => {
    const pair = codecFor(constrained(setOf(Int), { maxItems: 2 }));
    expect(pair.decode([1, 2])).toEqual(new Set([1, 2]));
    expect(() => pair.decode([1, 1, 2])).toThrow('expected at most 2 items, got 3');
    expect(() => pair.encode(new Set([1, 2, 3]))).toThrow('expected at most 2 items, got 3');
  });

  it('bounds an array of constrained items, each checked where it is', () => {
    const names = codecFor(constrained([Name], { maxItems: 2 }));
    expect(errorOf(() => names.decode(['abc', 'x'])).pathText).toBe('[1]');
  });
});

class Signup {
  @field(Name) name!: string;
  @field(optional(Percent)) discount?: number;
  @field(Tags) tags!: string[];
}

describe('in DTO fields', () => {
  const signup = codecFor(Signup);

  it('names the field that broke a bound', () => {
    expect(errorOf(() => signup.decode({ name: 'ok', discount: 120, tags: ['a'] })).message).toBe('discount: expected a number ≤ 100, got 120');
    expect(signup.decode({ name: 'ok', tags: ['a'] })).toBeInstanceOf(Signup);
  });

  it('lists every broken bound with its path', () => {
    expect(issuesOf(signup, { name: 'x', discount: -1, tags: [] }).issues).toEqual([
      { path: ['name'], message: 'expected a string of at least 2 characters, got "x"', expected: 'a string of at least 2 characters', received: '"x"' },
      { path: ['discount'], message: 'expected a number ≥ 0, got -1', expected: 'a number ≥ 0', received: '-1' },
      { path: ['tags'], message: 'expected at least 1 item, got 0', expected: 'at least 1 item', received: '0' },
    ]);
  });
});

describe('declaring bounds', () => {
  it('keeps the normal form of its type, with the bounds attached', () => {
    expect(toTypeNode(Name)).toEqual({ kind: 'string', constraints: { minLength: 2, maxLength: 5 } });
    expect(toTypeNode(Tags)).toMatchObject({ kind: 'array', item: { kind: 'string' }, constraints: { minItems: 1, maxItems: 3 } });
  });

  it('adds to the bounds of a constrained descriptor', () => {
    expect(toTypeNode(constrained(Name, { maxLength: 3, pattern: '^a' }))).toEqual({
      kind: 'string',
      constraints: { minLength: 2, maxLength: 3, pattern: /^a/u },
    });
  });

  it.each([
    ['a bound of another kind', () => constrained(String, { min: 1 } as never), 'constrained(…): min does not apply to a string; it takes minLength, maxLength, pattern'],
    ['a type without bounds', () => constrained(Json as never, {} as never), 'constrained(…) applies to String, Number, Int, arrays and sets, not to json(…)'],
    ['an optional', () => constrained(optional(String) as never, {} as never), 'not to optional(…)'],
    ['a DTO class', () => constrained(Signup as never, {} as never), 'not to function Signup'],
    ['bounds that no value meets', () => constrained(Int, { min: 5, max: 1 }), 'min (5) is greater than max (1); no value could pass'],
    ['a negative length', () => constrained(String, { maxLength: -1 }), 'maxLength must be a whole number ≥ 0, got -1'],
    ['an infinite bound', () => constrained(Number, { max: Infinity }), 'max must be a finite number, got Infinity'],
    ['a fractional bound on an Int', () => constrained(Int, { min: 0.5 }), 'constrained(Int, …): min must be an integer, got 0.5'],
    ['a pattern with flags JSON Schema cannot state', () => constrained(String, { pattern: /abc/i }), 'has flags (i) that a JSON Schema pattern cannot state'],
    ['a pattern that does not compile', () => constrained(String, { pattern: '(' }), 'pattern "(" is not a valid regular expression'],
  ])('refuses %s', (_what, declare, message) => {
    expect(declare).toThrow(TypeError);
    expect(declare).toThrow(message);
  });
});
