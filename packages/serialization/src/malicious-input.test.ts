/**
 * Input written to attack the decoder: tags that name classes they should not, keys that would
 * reach a prototype, nesting meant to overflow the stack, and containers meant to exhaust memory.
 * Each is refused with a SerializationError (a 400 on a server), never a crash.
 */
import 'reflect-metadata';
import { Expose, Type } from 'class-transformer';
// Reads DTOs declared with class-transformer's decorators, as an application opts in to it.
import './class-transformer.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type Descriptor, Int, Json, type JsonValue, mapOf, recordOf, setOf } from './descriptor.js';
import { field } from './field.js';
import { dto } from './dto.js';
import { codecFor, issuesOf } from './codec.js';
import { defaultDecodeLimits } from './decode-limits.js';
import { registerClass } from './registry.js';
import { SerializationError } from './serialization-error.js';
import { Canvas, Circle, Shape, errorOf, limits, nest } from './test-fixtures.js';

let constructed = 0;

/** Registered, so a @subtype may name it, but no Shape: it must never be built from a Shape slot. */
@dto()
class Admin {
  @field(Boolean) admin = true;
  constructor() {
    constructed++;
  }
}
registerClass(Shape);

class Frame {
  @field(Circle) circle!: Circle;
}

class Settings {
  @field(recordOf(Json)) values!: Record<string, JsonValue>;
}

// A class-transformer DTO (undeclared keys are copied). Its decorators are legacy ones, applied by hand.
class Label {
  text!: string;
}
Expose()(Label.prototype, 'text');
class Post {
  labels!: Label[];
}
Type(() => Label)(Post.prototype, 'labels');

class Node {
  @field([() => Node]) children!: Node[];
}

const circleFields = { color: 'red', radius: 1 };

describe('@type and @subtype tags', () => {
  it.each<[string, Descriptor, unknown, string]>([
    ['an unknown @subtype', Canvas, { title: 't', background: { ...circleFields, '@type': 'dataclass', '@subtype': 'os.system' } }, 'background: unknown @subtype "os.system"'],
    ['Object as @subtype', Canvas, { title: 't', background: { ...circleFields, '@type': 'dataclass', '@subtype': 'Object' } }, 'background: unknown @subtype "Object"'],
    ['__proto__ as @subtype', Canvas, JSON.parse('{"title": "t", "background": {"@type": "dataclass", "@subtype": "__proto__"}}'), 'background: unknown @subtype "__proto__"'],
    ['constructor as @subtype', [Shape], [{ ...circleFields, '@type': 'dataclass', '@subtype': 'constructor' }], '[0]: unknown @subtype "constructor"'],
    ['a registered class that is no Shape', Canvas, { title: 't', background: { admin: true, '@type': 'dataclass', '@subtype': 'Admin' } }, 'background: @subtype "Admin" is not a subclass of Shape'],
    ['a registered parent in a subclass slot', Frame, { circle: { ...circleFields, '@type': 'dataclass', '@subtype': 'Shape' } }, 'circle: @subtype "Shape" is not a subclass of Circle'],
    ['an @type other than "dataclass"', Canvas, { title: 't', background: { ...circleFields, '@type': 'sqlalchemy', '@subtype': '__main__.Circle' } }, 'background: unknown @type "sqlalchemy"; expected "dataclass"'],
    ["the reference's pickle tag, without @subtype", Shape, { color: 'x', '@type': '@base64', '@content': 'gASVAAAA' }, 'unknown @type "@base64"; expected "dataclass"'],
    ['an @type of "dataclass" without @subtype', Shape, { color: 'x', '@type': 'dataclass' }, 'expected a type name in @subtype, got undefined'],
    ['an @subtype that is not a string', Shape, { color: 'x', '@subtype': { $ne: null } }, 'expected a type name in @subtype, got an object'],
  ])('refuses %s', (_, descriptor, json, message) => {
    expect(errorOf(() => codecFor(descriptor).decode(json)).message).toBe(message);
  });

  it('never constructs a class the declared type does not allow', () => {
    constructed = 0;
    errorOf(() => codecFor([Shape]).decode([{ admin: true, '@type': 'dataclass', '@subtype': 'Admin' }]));
    expect(constructed).toBe(0);
  });
});

describe('keys that would reach a prototype', () => {
  // JSON.parse makes "__proto__" an own key, as a request body would have it.
  const hostile = '"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "prototype": {"polluted": true}';

  afterEach(() => {
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses %s as a key of a record in a DTO, and of a Map, both ways', (key) => {
    const json = JSON.parse(`{"${key}": {"polluted": true}}`) as Record<string, unknown>;
    expect(errorOf(() => codecFor(Settings).decode({ values: json })).message).toBe(`values.${key}: the key "${key}" is not allowed`);
    expect(errorOf(() => codecFor(mapOf(String, Json)).decode(json)).message).toBe(`${key}: the key "${key}" is not allowed`);
    expect(errorOf(() => codecFor(mapOf(String, Json)).encode(new Map([[key, { polluted: true }]]))).message).toBe(`${key}: the key "${key}" is not allowed`);
  });

  it('leaves them out of a class-transformer DTO, whose prototype stays its class', () => {
    const post = codecFor(Post).decode(JSON.parse(`{"labels": [{"text": "a", ${hostile}}], "note": "kept", ${hostile}}`));
    expect(Object.getPrototypeOf(post)).toBe(Post.prototype);
    expect(Object.getPrototypeOf(post.labels[0])).toBe(Label.prototype);
    expect(Object.keys(post)).toEqual(['labels', 'note']);
    expect(Object.keys(post.labels[0])).toEqual(['text']);
    expect((post as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves them out when encoding a class-transformer DTO that holds them as own keys', () => {
    const encoded = codecFor(Post).encode(JSON.parse(`{"labels": [], ${hostile}}`));
    expect(Object.keys(encoded as object)).toEqual(['labels']);
    expect(Object.getPrototypeOf(encoded)).toBe(Object.prototype);
  });
});

describe('nesting deeper than maxDepth', () => {
  const tooDeep = `nested deeper than the limit of ${defaultDecodeLimits.maxDepth} levels`;
  const deepArrays = nest(100_000, [], (inner) => [inner]);

  it.each<[string, Descriptor, unknown]>([
    ['a recursive DTO, 100 000 levels', Node, nest(100_000, { children: [] }, (inner) => ({ children: [inner] }))],
    ['nested arrays, 100 000 levels, in Json', Json, deepArrays],
    ['nested objects, 100 000 levels, in Json', Json, nest(100_000, {}, (inner) => ({ a: inner }))],
    ['a Json value deep inside a DTO field', Settings, { values: { x: deepArrays } }],
    ['nested array descriptors, 70 levels', nest(70, Int, (inner) => [inner]) as Descriptor, nest(70, 1, (inner) => [inner])],
  ])('refuses %s with a SerializationError, not a stack overflow', (_, descriptor, json) => {
    const error = errorOf(() => codecFor(descriptor).decode(json));
    expect(error.problem).toBe(tooDeep);
    expect(error.path.length).toBeLessThanOrEqual(defaultDecodeLimits.maxDepth);
    // Collecting every problem goes the same way, and finds just this one.
    expect(issuesOf(codecFor(descriptor), json).issues.map((issue) => issue.message)).toEqual([tooDeep]);
  });

  it('allows exactly maxDepth levels, and counts again from zero after a refusal', () => {
    const arrays = (count: number) => nest(count - 1, [], (inner) => [inner]);
    const codec = codecFor(Json);
    expect(() => codec.decode(arrays(defaultDecodeLimits.maxDepth + 1))).toThrow(SerializationError);
    expect(codec.decode(arrays(defaultDecodeLimits.maxDepth))).toBeDefined();
  });

  it('counts two levels per Node (its object and its children array) under a custom maxDepth', () => {
    const codec = codecFor(Node, limits(4, 10));
    expect(codec.decode({ children: [{ children: [] }] })).toBeInstanceOf(Node);
    expect(errorOf(() => codec.decode({ children: [{ children: [{ children: [] }] }] })).message).toBe('children[0].children[0]: nested deeper than the limit of 4 levels');
  });
});

describe('containers with more than maxItems entries', () => {
  it('refuses an array over the default limit', () => {
    const max = defaultDecodeLimits.maxItems;
    expect(codecFor([Int]).decode(new Array(max).fill(0))).toHaveLength(max);
    expect(errorOf(() => codecFor([Int]).decode(new Array(max + 1).fill(0))).message).toBe(`has ${max + 1} entries, more than the limit of ${max}`);
  });

  const entries = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
  const items = (n: number) => Array.from({ length: n }, (_, i) => i);

  // The Group subclass (test-fixtures) has a [Shape] field of its own.
  it.each<[string, Descriptor, (n: number) => unknown, string]>([
    ['an array', [Int], items, ''],
    ['a Set', setOf(Int), items, ''],
    ['a record', recordOf(Int), entries, ''],
    ['a Map', mapOf(String, Int), entries, ''],
    ['an array in Json', Json, items, ''],
    ['an object in Json', Json, entries, ''],
    ["a class-transformer DTO's @Type array", Post, (n) => ({ labels: items(n).map(() => ({})) }), 'labels: '],
    ["a subclass's field, reached through @subtype", [Shape], (n) => [{ color: 'c', members: items(n).map(() => ({ color: 'm' })), '@type': 'dataclass', '@subtype': 'Group' }], '[0].members: '],
  ])('refuses %s over a custom limit of 3', (_, descriptor, make, path) => {
    const codec = codecFor(descriptor, limits(64, 3));
    expect(() => codec.decode(make(3))).not.toThrow();
    expect(errorOf(() => codec.decode(make(4))).message).toBe(`${path}has 4 entries, more than the limit of 3`);
  });
});
