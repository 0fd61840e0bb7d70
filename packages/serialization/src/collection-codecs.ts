import { fail, prefixPath, refuse } from './serialization-error.js';
import { checkEntryCount, enterContainer, insideContainer, leaveContainer, type DecodeLimits } from './decode-limits.js';
import { atMember, checkItems, mapItems } from './issue-collector.js';
import { type Codec, codecFor, makeCodec } from './codec.js';
import type { TypeNode } from './type-node.js';
import { primitiveTextCodec } from './primitive-text.js';

/**
 * An object whose content is its own keys, as JSON writes it: a plain object (what JSON.parse
 * makes) or an instance of a user class. Not null, an array, or a built-in whose content is
 * internal (a Date, Map, Set, RegExp, typed array…: JSON.stringify writes those as a string or `{}`).
 */
export function isKeyedObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  // Parsed JSON takes the first test; the tag check is for everything else.
  return prototype === Object.prototype || prototype === null || Object.prototype.toString.call(value) === '[object Object]';
}

/** Keys that would reach a prototype if assigned with `obj[key] = …`; refused in every object read from the wire. */
export const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** Own enumerable data of a parsed object, minus keys that could reach a prototype. */
export function copyOwnData(source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (!forbiddenKeys.has(key)) out[key] = source[key];
  }
  return out;
}

/** Refuses a key of forbiddenKeys, naming it in the path: in records, maps and Json values alike. */
export function checkKey(key: string): void {
  if (forbiddenKeys.has(key)) refuseKey(key);
}

function refuseKey(key: string): never {
  try {
    return fail(`the key ${JSON.stringify(key)} is not allowed`);
  } catch (error) {
    throw prefixPath(error, key);
  }
}

export function arrayCodec(node: TypeNode, itemNode: TypeNode, limits: DecodeLimits): Codec {
  const item = codecFor(itemNode, limits);
  // Items that come back as they are need no new array: check them in place.
  const convert = item.returnsInput ? checkItems : mapItems;
  return makeCodec(
    node,
    (value) => (Array.isArray(value) ? convert(value, item.encode) : refuse('an array', value)),
    (value) => {
      if (!Array.isArray(value)) return refuse('an array', value);
      checkEntryCount(value.length, limits);
      enterContainer(limits);
      try {
        return convert(value, item.decode);
      } finally {
        leaveContainer();
      }
    },
  );
}

export function setCodec(node: TypeNode, itemNode: TypeNode, limits: DecodeLimits): Codec {
  const item = codecFor(itemNode, limits);
  return makeCodec(
    node,
    (value) => (value instanceof Set || Array.isArray(value) ? mapItems([...value], item.encode) : refuse('a Set', value)),
    (value) => {
      if (!Array.isArray(value)) return refuse('an array', value);
      checkEntryCount(value.length, limits);
      return new Set(insideContainer(limits, () => mapItems(value, item.decode)));
    },
  );
}

export function tupleCodec(node: TypeNode, itemNodes: readonly TypeNode[], limits: DecodeLimits): Codec {
  const items = itemNodes.map((itemNode) => codecFor(itemNode, limits));
  const expected = `an array of ${items.length}`;
  const each = (transform: (codec: Codec, value: unknown) => unknown) => (value: unknown) => {
    if (!Array.isArray(value) || value.length !== items.length) return refuse(expected, value);
    return items.map((codec, i) => atMember(i, () => transform(codec, value[i])));
  };
  return makeCodec(
    node,
    each((codec, value) => codec.encode(value)),
    (value) => insideContainer(limits, () => each((codec, item) => codec.decode(item))(value)),
  );
}

export function recordCodec(node: TypeNode, itemNode: TypeNode, limits: DecodeLimits): Codec {
  const item = codecFor(itemNode, limits);
  const map = (transform: (value: unknown) => unknown) => (value: unknown) => {
    if (!isKeyedObject(value)) return refuse('an object', value);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      checkKey(key);
      out[key] = atMember(key, () => transform(value[key]));
    }
    return out;
  };
  const decode = map(item.decode);
  return makeCodec(node, map(item.encode), (value) => {
    if (isKeyedObject(value)) checkEntryCount(Object.keys(value).length, limits);
    return insideContainer(limits, () => decode(value));
  });
}

export function mapCodec(node: TypeNode, keyNode: TypeNode, valueNode: TypeNode, limits: DecodeLimits): Codec {
  // Keys travel as JSON object keys, in the same text form as URL parameters.
  const keyText = primitiveTextCodec(keyNode, limits);
  if (keyText === undefined) throw new TypeError(`mapOf(…) keys must be String, Number, Int, Boolean, Date or an enum, not ${keyNode.kind}`);
  const value = codecFor(valueNode, limits);
  return makeCodec(
    node,
    (map) => {
      if (!(map instanceof Map)) return refuse('a Map', map);
      const out: Record<string, unknown> = {};
      for (const [key, item] of map) {
        const text = keyText.format(key);
        checkKey(text);
        out[text] = atMember(text, () => value.encode(item));
      }
      return out;
    },
    (json) => {
      if (!isKeyedObject(json)) return refuse('an object', json);
      checkEntryCount(Object.keys(json).length, limits);
      return insideContainer(limits, () => {
        const out = new Map<unknown, unknown>();
        for (const text of Object.keys(json)) {
          checkKey(text);
          atMember(text, () => out.set(keyText.parse(text), value.decode(json[text])));
        }
        return out;
      });
    },
  );
}
