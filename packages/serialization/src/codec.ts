import { type Descriptor, type Infer, describeValue } from './descriptor.js';
import { SerializationError, type PathSegment } from './serialization-error.js';
import { type ClassNode, type EnumMember, type EnumNode, type TypeNode, toTypeNode } from './type-node.js';
import { decodeBytes, encodeBytes } from './bytes.js';
import { decodeIsoDate } from './iso-date.js';

/**
 * Converts values of one type to JSON-ready values and back. Built once per type and reused for
 * every call; decode validates as it goes and throws a SerializationError carrying the path.
 */
export interface Codec<T = unknown> {
  readonly node: TypeNode;
  /** Value → JSON-ready value. undefined means "leave this out". */
  encode(value: unknown): unknown;
  /** Parsed JSON → value of the described type. */
  decode(json: unknown): T;
}

const codecs = new WeakMap<TypeNode, Codec>();

/** The codec for a descriptor or a TypeNode, built on first request and cached. */
export function codecFor<const D extends Descriptor>(descriptor: D): Codec<Infer<D>>;
export function codecFor(node: TypeNode): Codec;
export function codecFor(source: Descriptor | TypeNode): Codec {
  const node = isTypeNode(source) ? source : toTypeNode(source);
  let codec = codecs.get(node);
  if (!codec) {
    codec = build(node);
    codecs.set(node, codec);
  }
  return codec;
}

/**
 * codecFor, with every DTO class reachable from the type resolved now. Classes resolve their
 * fields on first use (so that they may refer to each other); a server or client calls this
 * while it is built, so a class without declared fields, or a thunk that returns nothing, fails
 * there rather than on the first call.
 */
export function resolvedCodecFor(descriptor: Descriptor): Codec {
  const codec = codecFor(toTypeNode(descriptor));
  const seen = new Set<TypeNode>();
  const visit = (node: TypeNode): void => {
    if (seen.has(node)) return;
    seen.add(node);
    if (node.kind === 'class') for (const field of node.shape().fields) visit(field.type);
    else if ('item' in node) visit(node.item);
  };
  visit(codec.node);
  return codec;
}

function isTypeNode(value: unknown): value is TypeNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as TypeNode).kind === 'string';
}

/**
 * Untyped values are written as they are, but JSON.stringify would quietly turn NaN and
 * Infinity into null; refuse them instead. Parsed JSON never holds them, so decoding skips this.
 */
function checkJsonNumbers(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : fail('a finite number', value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) at(i, () => checkJsonNumbers(value[i]));
  } else {
    for (const key of Object.keys(value)) at(key, () => checkJsonNumbers((value as Record<string, unknown>)[key]));
  }
  return value;
}

function fail(expected: string, got: unknown): never {
  throw new SerializationError(`expected ${expected}, got ${describeValue(got)}`);
}

/** Runs `step` for one member of a container, adding the member's key to any error's path. */
function at<T>(segment: PathSegment, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof SerializationError) throw error.within(segment);
    throw error;
  }
}

function codec(node: TypeNode, encode: (value: unknown) => unknown, decode: (json: unknown) => unknown): Codec {
  return { node, encode, decode };
}

/** A codec for values whose JSON form is the value itself, after a type check. */
function checked(node: TypeNode, expected: string, accepts: (value: unknown) => boolean): Codec {
  const check = (value: unknown) => (accepts(value) ? value : fail(expected, value));
  return codec(node, check, check);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keys that would reach a prototype if assigned with `obj[key] = …`; refused in every object read from the wire. */
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

function build(node: TypeNode): Codec {
  switch (node.kind) {
    case 'string':
      return checked(node, 'a string', (v) => typeof v === 'string');
    case 'number':
      // JSON has no NaN or Infinity: JSON.stringify would quietly turn them into null.
      return checked(node, 'a finite number', (v) => Number.isFinite(v));
    case 'int':
      return checked(node, 'an integer', (v) => Number.isSafeInteger(v));
    case 'boolean':
      return checked(node, 'a boolean', (v) => typeof v === 'boolean');
    case 'json':
      return codec(node, checkJsonNumbers, (v) => v);
    case 'json-object':
      return codec(
        node,
        (v) => (isPlainObject(v) ? checkJsonNumbers(v) : fail('a JSON object', v)),
        (v) => (isPlainObject(v) ? v : fail('a JSON object', v)),
      );
    case 'void':
      return codec(node, () => undefined, () => undefined);
    case 'date':
      return codec(
        node,
        (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : fail('a valid Date', v)),
        (v) => (typeof v === 'string' ? decodeIsoDate(v) : fail('an ISO-8601 date string', v)),
      );
    case 'bytes':
      return codec(node, encodeBytes, decodeBytes);
    case 'enum':
      return enumCodec(node);
    case 'optional':
    case 'nullable': {
      const item = codecFor(node.item);
      const empty = node.kind === 'optional' ? undefined : null;
      return codec(
        node,
        (v) => (v === undefined || v === null ? empty : item.encode(v)),
        (v) => (v === undefined || v === null ? empty : item.decode(v)),
      );
    }
    case 'array':
      return arrayCodec(node, node.item);
    case 'record':
      return recordCodec(node, node.item);
    case 'class':
      return classCodec(node);
    case 'stream':
      throw new TypeError('stream(…) describes a whole parameter or result; it cannot be nested in a value');
  }
}

function enumCodec(node: EnumNode): Codec {
  const expected = `one of ${node.wireTokens.map((token) => JSON.stringify(token)).join(', ')}`;
  const member = node.name ? `a member of ${node.name}` : 'an enum member';
  return codec(
    node,
    (v) => node.toWire.get(v as EnumMember) ?? fail(`${member} (${expected})`, v),
    (v) => node.fromWire.get(v) ?? fail(expected, v),
  );
}

function arrayCodec(node: TypeNode, itemNode: TypeNode): Codec {
  const item = codecFor(itemNode);
  const map = (transform: (value: unknown) => unknown) => (value: unknown) => {
    if (!Array.isArray(value)) return fail('an array', value);
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const element = value[i];
      out[i] = at(i, () => transform(element));
    }
    return out;
  };
  if (itemNode.kind === 'json') {
    // Untyped items: nothing to convert, so the array is only checked, not copied.
    const check = (value: unknown) => (Array.isArray(value) ? value : fail('an array', value));
    return codec(node, check, check);
  }
  return codec(node, map(item.encode), map(item.decode));
}

function recordCodec(node: TypeNode, itemNode: TypeNode): Codec {
  const item = codecFor(itemNode);
  const map = (transform: (value: unknown) => unknown) => (value: unknown) => {
    if (!isPlainObject(value)) return fail('an object', value);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (forbiddenKeys.has(key)) throw new SerializationError(`the key ${JSON.stringify(key)} is not allowed`).within(key);
      out[key] = at(key, () => transform(value[key]));
    }
    return out;
  };
  return codec(node, map(item.encode), map(item.decode));
}

function classCodec(node: ClassNode): Codec {
  const type = node.type;
  let compiled: { fields: { property: string; codec: Codec }[]; open: boolean } | undefined;
  const plan = () => {
    if (!compiled) {
      const shape = node.shape();
      const fieldCodec = (type: TypeNode) => (shape.open ? oneOrEach(codecFor(type)) : codecFor(type));
      compiled = { open: shape.open, fields: shape.fields.map((f) => ({ property: f.property, codec: fieldCodec(f.type) })) };
    }
    return compiled;
  };

  const encode = (value: unknown): unknown => {
    if (!isPlainObject(value)) return fail(`an instance of ${type.name}`, value);
    const proto = Object.getPrototypeOf(value);
    if (proto !== type.prototype && proto !== Object.prototype && proto !== null && value instanceof type) {
      // A subclass would lose its own fields here; tagged subclasses are a separate feature.
      throw new SerializationError(`${(value as object).constructor.name} is a subclass of ${type.name}; subclass values are not supported yet`);
    }
    const { fields, open } = plan();
    const out: Record<string, unknown> = open ? copyOwnData(value) : {};
    for (const { property, codec: field } of fields) {
      const encoded = at(property, () => field.encode(value[property]));
      if (encoded !== undefined) out[property] = encoded;
      else delete out[property];
    }
    return out;
  };

  const decode = (json: unknown): unknown => {
    if (!isPlainObject(json)) return fail(`an object for ${type.name}`, json);
    const { fields, open } = plan();
    const instance = construct(type);
    if (open) Object.assign(instance, copyOwnData(json));
    for (const { property, codec: field } of fields) {
      const raw = json[property];
      if (raw === undefined && field.node.kind !== 'optional' && field.node.kind !== 'nullable' && field.node.kind !== 'void') {
        throw new SerializationError(`missing required field of ${type.name}`).within(property);
      }
      const decoded = at(property, () => field.decode(raw));
      // Leaving undefined unassigned keeps the class's own default for an absent optional field.
      if (decoded !== undefined) instance[property] = decoded;
    }
    return instance;
  };

  return codec(node, encode, decode);
}

/**
 * class-transformer's @Type(() => X) names the element class of an array property too (`@Type(() =>
 * Item) items: Item[]`) and plainToInstance converts each element; without design:type metadata
 * only the value itself tells which it is.
 */
function oneOrEach(item: Codec): Codec {
  const map = (transform: (value: unknown) => unknown) => (value: unknown) =>
    Array.isArray(value) ? value.map((element, i) => at(i, () => transform(element))) : transform(value);
  return codec(item.node, map(item.encode), map(item.decode));
}

function construct(type: Function): Record<string, unknown> {
  try {
    return new (type as new () => Record<string, unknown>)();
  } catch (error) {
    throw new SerializationError(`cannot construct ${type.name} without arguments: ${(error as Error).message}`);
  }
}

/** Own enumerable data of a parsed object, minus keys that could reach a prototype. */
function copyOwnData(source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (!forbiddenKeys.has(key)) out[key] = source[key];
  }
  return out;
}
