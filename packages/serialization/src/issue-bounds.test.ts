/**
 * issuesOf(…) lists at most `maxIssues` problems (100 by default) and counts the rest: past the
 * cap no issue, path or message is built. Issues of a value of the wrong kind carry what was
 * expected and what was received.
 */
import { describe, expect, it } from 'vitest';
import { Int, union } from './descriptor.js';
import { field } from './field.js';
import { codecFor, issuesOf } from './codec.js';
import { defaultDecodeLimits } from './decode-limits.js';
import { SerializationError, receivedLimit } from './serialization-error.js';
import { errorOf, limits } from './test-fixtures.js';

class Reading {
  @field(String) sensor!: string;
  @field(Number) value!: number;
}

const emptyReadings = (count: number) => Array.from({ length: count }, () => ({}));

/** An object whose description (describeValue reads its constructor) is counted: one per message built. */
function countedValues(count: number): { values: object[]; described: () => number } {
  let described = 0;
  class Counted {}
  Object.defineProperty(Counted.prototype, 'constructor', {
    get() {
      described++;
      return Counted;
    },
  });
  return { values: Array.from({ length: count }, () => new Counted()), described: () => described };
}

describe('issuesOf lists at most maxIssues problems', () => {
  it('of 100,000 empty DTOs with two required fields: the first 100, and a count of the other 199,900', () => {
    expect(defaultDecodeLimits.maxIssues).toBe(100);
    const { issues, omitted } = issuesOf(codecFor([Reading]), emptyReadings(100_000));
    expect(issues).toHaveLength(100);
    expect(omitted).toBe(199_900);
    expect(issues.slice(0, 3)).toEqual([
      { path: [0, 'sensor'], message: 'missing required field of Reading' },
      { path: [0, 'value'], message: 'missing required field of Reading' },
      { path: [1, 'sensor'], message: 'missing required field of Reading' },
    ]);
    expect(issues[99].path).toEqual([49, 'value']);
  });

  it('builds no message for a problem past the cap', () => {
    const { values, described } = countedValues(1000);
    const found = issuesOf(
      codecFor([Reading]),
      values.map((value) => ({ sensor: value, value: 1 })),
    );
    expect(found.issues).toHaveLength(100);
    expect(found.omitted).toBe(900);
    expect(found.issues[0]).toEqual({ path: [0, 'sensor'], message: 'expected a string, got an instance of Counted', expected: 'a string', received: 'an instance of Counted' });
    expect(described()).toBe(100);
  });

  it("takes the codec's maxIssues, or fewer when asked", () => {
    const codec = codecFor([Reading], limits(64, 100_000, 5));
    expect(issuesOf(codec, emptyReadings(10))).toMatchObject({ omitted: 15 });
    expect(issuesOf(codec, emptyReadings(10)).issues).toHaveLength(5);
    expect(issuesOf(codec, emptyReadings(10), 3).issues).toHaveLength(3);
    expect(issuesOf(codec, emptyReadings(10), 50).issues).toHaveLength(5);
    expect(issuesOf(codec, emptyReadings(10), 0)).toEqual({ issues: [], omitted: 20 });
  });

  it("still tries a union's later options past the cap: a value that fits one is no problem", () => {
    const codec = codecFor([union(Int, String)]);
    expect(issuesOf(codec, [null, 'fine', null, 5, null], 1)).toEqual({
      issues: [{ path: [0], message: 'fits none of the 2 options of the union (the first says: expected an integer, got null)' }],
      omitted: 2,
    });
  });

  it('leaves decode describing its first problem in full afterwards', () => {
    issuesOf(codecFor([Reading]), emptyReadings(1000));
    const error = errorOf(() => codecFor([Int]).decode([1, 'x']));
    expect(error.message).toBe('[1]: expected an integer, got "x"');
    expect(error.path).toEqual([1]);
  });
});

describe('a problem with a value of the wrong kind says what was expected and what was received', () => {
  it('as SerializationError fields and in its issues', () => {
    const error = errorOf(() => codecFor(Reading).decode({ sensor: 's', value: 'high' }));
    expect(error).toMatchObject({ path: ['value'], problem: 'expected a finite number, got "high"', expected: 'a finite number', received: '"high"' });
    expect(issuesOf(codecFor(Reading), { sensor: 's', value: 'high' }).issues).toEqual([
      { path: ['value'], message: 'expected a finite number, got "high"', expected: 'a finite number', received: '"high"' },
    ]);
  });

  it('and not for other problems', () => {
    const error = errorOf(() => codecFor(Reading).decode({ sensor: 's' }));
    expect(error.expected).toBeUndefined();
    expect(error.received).toBeUndefined();
  });

  it('bounds what was received to 100 characters', () => {
    const name = 'C'.repeat(300);
    const Long = { [name]: class {} }[name];
    const error = errorOf(() => codecFor(String).decode(new Long()));
    expect(error.received).toHaveLength(receivedLimit);
    expect(error.received).toMatch(/^an instance of C+…$/);
    expect(error.problem).toBe(`expected a string, got ${error.received}`);
    expect(error).toBeInstanceOf(SerializationError);
  });
});
