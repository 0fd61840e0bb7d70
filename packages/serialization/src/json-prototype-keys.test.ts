/**
 * Json and JsonObject values refuse the keys __proto__, constructor and prototype anywhere inside
 * them, on input and on output, with the same message and path as recordOf(…): an implementation
 * that copies their keys onto an object cannot reach a prototype.
 */
import { describe, expect, it } from 'vitest';
import { type Descriptor, Json, JsonObject, recordOf } from './descriptor.js';
import { codecFor, issuesOf } from './codec.js';
import { errorOf } from './test-fixtures.js';

const keys = ['__proto__', 'constructor', 'prototype'] as const;

/** The descriptors that take a JSON object at the root: a Json/JsonObject value, and a record for comparison. */
const descriptors: [string, Descriptor][] = [
  ['Json', Json],
  ['JsonObject', JsonObject],
  ['recordOf(Json)', recordOf(Json)],
];

describe.each(keys)('an own key %s', (key) => {
  const inside = (value: unknown) => JSON.parse(`{"a":1,${JSON.stringify(key)}:${JSON.stringify(value)}}`) as Record<string, unknown>;

  it.each(descriptors)('is refused at the root of %s, as records refuse it', (_, descriptor) => {
    const error = errorOf(() => codecFor(descriptor).decode(inside({ x: 1 })));
    expect(error.path).toEqual([key]);
    expect(error.problem).toBe(`the key "${key}" is not allowed`);
  });

  it.each(descriptors)('is refused deep inside %s, naming the path', (_, descriptor) => {
    const json = { outer: [{ fine: true }, inside(1)] };
    const codec = codecFor(descriptor);
    const error = errorOf(() => codec.decode(json));
    expect(error.message).toBe(`outer[1].${key}: the key "${key}" is not allowed`);
    expect(issuesOf(codec, json).issues).toEqual([{ path: ['outer', 1, key], message: `the key "${key}" is not allowed` }]);
  });

  it('is refused on output too', () => {
    const value = { list: [Object.defineProperty({}, key, { value: 1, enumerable: true })] };
    expect(errorOf(() => codecFor(Json).encode(value)).message).toBe(`list[0].${key}: the key "${key}" is not allowed`);
  });

  it('does not reach any prototype', () => {
    expect(() => codecFor([Json]).decode([inside({ polluted: true })])).toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

it('lets other keys through, __proto__ only as a string value', () => {
  const json = JSON.parse('{"proto":{"__proto___":1,"Constructor":2,"note":"__proto__"}}');
  expect(codecFor(Json).decode(json)).toBe(json);
  expect(codecFor(JsonObject).decode(json)).toBe(json);
});
