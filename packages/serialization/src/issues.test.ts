/**
 * issuesOf(codec, json): every problem of a value that failed to decode, each with its path,
 * where decode itself stops at the first. A union's trial decodes of its options stay out of it.
 */
import { describe, expect, it } from 'vitest';
import { type Descriptor, Int, Json, literal, mapOf, optional, recordOf, setOf, taggedUnion, tuple, union } from './descriptor.js';
import { field } from './field.js';
import { type Codec, codecFor, issuesOf } from './codec.js';
import { formatPath } from './serialization-error.js';
import { Shape, errorOf, limits } from './test-fixtures.js';

class Line {
  @field(String) sku!: string;
  @field(Int) quantity!: number;
  @field(Date) when!: Date;
}
class Order {
  @field(Int) id!: number;
  @field(String) customer!: string;
  @field(Date) placed!: Date;
  @field([Line]) items!: Line[];
  @field(optional(String)) note?: string;
}

class Point {
  @field(Number) x!: number;
  @field(Number) y!: number;
}
class Reading {
  @field(union(Int, Point)) value!: number | Point;
  @field(String) unit!: string;
}

class Pause {
  @field(literal('pause')) kind = 'pause' as const;
  @field(Int) seconds!: number;
}
class Resume {
  @field(literal('resume')) kind = 'resume' as const;
}

/** Each issue as `path: message`, which reads like the error body's list. */
const listed = (codec: Codec, json: unknown) => issuesOf(codec, json).issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);

const line = { sku: 'a', quantity: 1, when: '2025-01-15T12:00:00Z' };

describe('issuesOf lists every problem', () => {
  it('of a DTO with three bad fields and a bad array element: four issues, in order', () => {
    const json = { id: 'seven', customer: null, placed: 'yesterday', items: [line, { ...line, when: 42 }], note: 'fine' };
    expect(listed(codecFor(Order), json)).toEqual([
      'id: expected an integer, got "seven"',
      'customer: expected a string, got null',
      'placed: expected an ISO-8601 date string, got "yesterday"',
      'items[1].when: expected an ISO-8601 date string, got 42',
    ]);
    // decode itself stops at the first.
    expect(errorOf(() => codecFor(Order).decode(json)).pathText).toBe('id');
  });

  it('of several elements, and of several fields of one element', () => {
    const json = { id: 1, customer: 'c', placed: line.when, items: [{ sku: 1 }, line, { ...line, quantity: 0.5 }] };
    expect(listed(codecFor(Order), json)).toEqual([
      'items[0].sku: expected a string, got 1',
      'items[0].quantity: missing required field of Line',
      'items[0].when: missing required field of Line',
      'items[2].quantity: expected an integer, got 0.5',
    ]);
  });

  it.each<[string, Descriptor, unknown, string[]]>([
    ['a record', recordOf(Int), { a: 'x', b: 2, c: null }, ['a: expected an integer, got "x"', 'c: expected an integer, got null']],
    ['a Map, keys and values', mapOf(Int, Int), { x: 1, '2': 'y' }, ['["2"]: expected an integer, got "y"', 'x: expected an integer, got "x"']],
    ['a tuple', tuple(String, Int, Date), [1, 'b', 'c'], ['[0]: expected a string, got 1', '[1]: expected an integer, got "b"', '[2]: expected an ISO-8601 date string, got "c"']],
    ['a Set', setOf(Int), [1, 'b', 3, 'd'], ['[1]: expected an integer, got "b"', '[3]: expected an integer, got "d"']],
    ['arrays of arrays', [[Int]], [[1, 'x'], 'y', [null]], ['[0][1]: expected an integer, got "x"', '[1]: expected an array, got "y"', '[2][0]: expected an integer, got null']],
    [
      'the chosen classes of a tagged union',
      [taggedUnion('kind', [Pause, Resume])],
      [{ kind: 'pause', seconds: 'ten' }, { kind: 'stop' }, { kind: 'resume' }, {}],
      ['[0].seconds: expected an integer, got "ten"', '[1].kind: expected one of "pause", "resume", got "stop"', '[3].kind: expected one of "pause", "resume", got undefined'],
    ],
    [
      'subclasses named by @subtype',
      [Shape],
      [{ color: 1, '@type': 'dataclass', '@subtype': 'Nowhere' }, { color: 2 }],
      ['[0]: unknown @subtype "Nowhere"', '[1].color: expected a string, got 2'],
    ],
  ])('in %s', (_, descriptor, json, issues) => {
    expect(listed(codecFor(descriptor), json)).toEqual(issues);
  });

  it('of a container over maxItems once, at the container, without looking inside it', () => {
    const json = { a: [1, 'x', 3], b: ['y'] };
    expect(listed(codecFor(recordOf([Int]), limits(64, 2)), json)).toEqual(['a: has 3 entries, more than the limit of 2', 'b[0]: expected an integer, got "y"']);
  });

  it('at the root, with an empty path', () => {
    expect(issuesOf(codecFor(Order), [])).toEqual({
      issues: [{ path: [], message: 'expected an object for Order, got an array', expected: 'an object for Order', received: 'an array' }],
      omitted: 0,
    });
  });

  it('and none of a value that decodes', () => {
    expect(issuesOf(codecFor(Order), { id: 1, customer: 'c', placed: line.when, items: [line] })).toEqual({ issues: [], omitted: 0 });
  });

  it('and leaves decode stopping at the first problem afterwards', () => {
    issuesOf(codecFor(Order), { id: 'x' });
    expect(errorOf(() => codecFor([Int]).decode([1, 'x', 'y'])).pathText).toBe('[1]');
  });
});

describe("a union's trial decodes stay out of the list", () => {
  it('when no option fits: one issue at the union, none from inside its options', () => {
    expect(listed(codecFor(Reading), { value: { x: 'a' }, unit: 5 })).toEqual([
      'value: fits none of the 2 options of the union (the first says: expected an integer, got an object)',
      'unit: expected a string, got 5',
    ]);
  });

  it('when a later option fits: nothing from the options that failed before it', () => {
    expect(listed(codecFor(Reading), { value: { x: 1, y: 2 }, unit: null })).toEqual(['unit: expected a string, got null']);
    expect(listed(codecFor([union(Point, Int)]), [3, { x: 1, y: 2 }, 'z'])).toEqual([
      '[2]: fits none of the 2 options of the union (the first says: expected an object for Point, got "z")',
    ]);
  });

  it('when the union is the root', () => {
    expect(issuesOf(codecFor(union(Point, Json)), { x: 'a' }).issues).toEqual([]);
    expect(issuesOf(codecFor(union(Int, String)), null).issues).toEqual([
      { path: [], message: 'fits none of the 2 options of the union (the first says: expected an integer, got null)' },
    ]);
  });
});
