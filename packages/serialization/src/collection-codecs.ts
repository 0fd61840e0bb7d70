import { SerializationError } from './serialization-error.js';
import { at, checkCount, checkItems, enterNested, fail, leaveNested, mapItems, nested, type DecodeLimits } from './codec-context.js';
import { type Codec, codecFor, makeCodec } from './codec.js';
import type { TypeNode } from './type-node.js';
import { decodeIsoDate } from './iso-date.js';

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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

function checkKey(key: string): void {
  if (forbiddenKeys.has(key)) throw new SerializationError(`the key ${JSON.stringify(key)} is not allowed`).within(key);
}

export function arrayCodec(node: TypeNode, itemNode: TypeNode, limits: DecodeLimits): Codec {
  const item = codecFor(itemNode, limits);
  // Items that come back as they are need no new array: check them in place.
  const convert = item.identity ? checkItems : mapItems;
  return makeCodec(
    node,
    (value) => (Array.isArray(value) ? convert(value, item.encode) : fail('an array', value)),
    (value) => {
      if (!Array.isArray(value)) return fail('an array', value);
      checkCount(value.length, limits);
      enterNested(limits);
      try {
        return convert(value, item.decode);
      } finally {
        leaveNested();
      }
    },
  );
}

export function setCodec(node: TypeNode, itemNode: TypeNode, limits: DecodeLimits): Codec {
  const item = codecFor(itemNode, limits);
  return makeCodec(
    node,
    (value) => (value instanceof Set || Array.isArray(value) ? mapItems([...value], item.encode) : fail('a Set', value)),
    (value) => {
      if (!Array.isArray(value)) return fail('an array', value);
      checkCount(value.length, limits);
      return new Set(nested(limits, () => mapItems(value, item.decode)));
    },
  );
}

export function tupleCodec(node: TypeNode, itemNodes: readonly TypeNode[], limits: DecodeLimits): Codec {
  const items = itemNodes.map((itemNode) => codecFor(itemNode, limits));
  const expected = `an array of ${items.length}`;
  const each = (transform: (codec: Codec, value: unknown) => unknown) => (value: unknown) => {
    if (!Array.isArray(value) || value.length !== items.length) return fail(expected, value);
    return items.map((codec, i) => at(i, () => transform(codec, value[i])));
  };
  return makeCodec(
    node,
    each((codec, value) => codec.encode(value)),
    (value) => nested(limits, () => each((codec, item) => codec.decode(item))(value)),
  );
}

export function recordCodec(node: TypeNode, itemNode: TypeNode, limits: DecodeLimits): Codec {
  const item = codecFor(itemNode, limits);
  const map = (transform: (value: unknown) => unknown) => (value: unknown) => {
    if (!isPlainObject(value)) return fail('an object', value);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      checkKey(key);
      out[key] = at(key, () => transform(value[key]));
    }
    return out;
  };
  const decode = map(item.decode);
  return makeCodec(node, map(item.encode), (value) => {
    if (isPlainObject(value)) checkCount(Object.keys(value).length, limits);
    return nested(limits, () => decode(value));
  });
}

const decimalPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Map keys travel as JSON object keys, so they need a text form both ways. */
interface KeyText {
  toText(key: unknown): string;
  fromText(text: string): unknown;
}

function keyTextOf(keyNode: TypeNode, limits: DecodeLimits): KeyText {
  const key = codecFor(keyNode, limits);
  switch (keyNode.kind) {
    case 'string':
    case 'date':
      return { toText: (k) => key.encode(k) as string, fromText: keyNode.kind === 'date' ? decodeIsoDate : (text) => text };
    case 'number':
    case 'int':
      // Plain decimals only: Number() also reads ' 1' and '0x10', which would give two keys one number.
      return { toText: (k) => String(key.encode(k)), fromText: (text) => key.decode(decimalPattern.test(text) ? Number(text) : text) };
    case 'boolean':
      return { toText: (k) => String(key.encode(k)), fromText: (text) => key.decode(text === 'true' ? true : text === 'false' ? false : text) };
    case 'enum':
      return { toText: (k) => String(key.encode(k)), fromText: (text) => keyNode.fromText.get(text) ?? key.decode(text) };
    default:
      throw new TypeError(`mapOf(…) keys must be String, Number, Int, Boolean, Date or an enum, not ${keyNode.kind}`);
  }
}

export function mapCodec(node: TypeNode, keyNode: TypeNode, valueNode: TypeNode, limits: DecodeLimits): Codec {
  const keyText = keyTextOf(keyNode, limits);
  const value = codecFor(valueNode, limits);
  return makeCodec(
    node,
    (map) => {
      if (!(map instanceof Map)) return fail('a Map', map);
      const out: Record<string, unknown> = {};
      for (const [key, item] of map) {
        const text = keyText.toText(key);
        checkKey(text);
        out[text] = at(text, () => value.encode(item));
      }
      return out;
    },
    (json) => {
      if (!isPlainObject(json)) return fail('an object', json);
      checkCount(Object.keys(json).length, limits);
      return nested(limits, () => {
        const out = new Map<unknown, unknown>();
        for (const text of Object.keys(json)) {
          checkKey(text);
          at(text, () => out.set(keyText.fromText(text), value.decode(json[text])));
        }
        return out;
      });
    },
  );
}
