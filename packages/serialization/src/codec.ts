import { type Descriptor, type Infer } from './descriptor.js';
import { type TypeNode, constraintsOf, toTypeNode, typeNodeOf } from './type-node.js';
import { decodeBytes, encodeBytes } from './bytes.js';
import { decodeIsoDate } from './iso-date.js';
import { type DecodeLimits, defaultDecodeLimits } from './decode-limits.js';
import { type FoundIssues, collectIssues } from './issue-collector.js';
import { refuse } from './serialization-error.js';
import { arrayCodec, isKeyedObject, mapCodec, recordCodec, setCodec, tupleCodec } from './collection-codecs.js';
import { classCodec } from './class-codec.js';
import { checkTaggedUnion, unionCodec } from './union-codec.js';
import { walkJson } from './json-value.js';
import { type Constraints, constraintCheck } from './constraints.js';

/**
 * Converts values of one type to JSON-ready values and back. Built once per type (and per set of
 * limits) and reused for every call; decode validates as it goes and throws a
 * SerializationError carrying the path of the first problem.
 */
export interface Codec<T = unknown> {
  readonly node: TypeNode;
  /** Value → JSON-ready value. undefined means "leave this out". */
  encode(value: unknown): unknown;
  /** Parsed JSON → value of the described type. */
  decode(json: unknown): T;
  /**
   * True when encode and decode give back their input itself whenever it fits (strings, numbers,
   * Json values…): an array of such items is then checked in place rather than copied.
   */
  readonly returnsInput: boolean;
}

export function makeCodec(node: TypeNode, encode: (value: unknown) => unknown, decode: (json: unknown) => unknown, returnsInput = false): Codec {
  return { node, encode, decode, returnsInput };
}

const caches = new WeakMap<DecodeLimits, WeakMap<TypeNode, Codec>>();
/** The limits each codec codecFor built was built with: issuesOf reads its maxIssues. */
const limitsOfCodec = new WeakMap<Codec, DecodeLimits>();

/** The codec for a descriptor or a TypeNode, built on first request and cached. */
export function codecFor<const D extends Descriptor>(descriptor: D, limits?: DecodeLimits): Codec<Infer<D>>;
export function codecFor(node: TypeNode, limits?: DecodeLimits): Codec;
export function codecFor(source: Descriptor | TypeNode, limits: DecodeLimits = defaultDecodeLimits): Codec {
  const node = typeNodeOf(source);
  let cache = caches.get(limits);
  if (!cache) caches.set(limits, (cache = new WeakMap()));
  let codec = cache.get(node);
  if (!codec) {
    codec = build(node, limits);
    const constraints = constraintsOf(node);
    if (constraints !== undefined) codec = constrainedCodec(codec, constraints);
    cache.set(node, codec);
    limitsOfCodec.set(codec, limits);
  }
  return codec;
}

/**
 * codecFor, with every DTO class reachable from the type resolved now. Classes resolve their
 * fields on first use (so that they may refer to each other); a server or client calls this
 * while it is built, so a class without declared fields, a thunk that returns nothing or a
 * tagged union without its literal fields fails there rather than on the first call.
 */
export function resolvedCodecFor(descriptor: Descriptor, limits?: DecodeLimits): Codec {
  const codec = codecFor(toTypeNode(descriptor), limits);
  const seen = new Set<TypeNode>();
  const visit = (node: TypeNode): void => {
    if (seen.has(node)) return;
    seen.add(node);
    for (const child of childrenOf(node)) visit(child);
    if (node.kind === 'union') checkTaggedUnion(node);
  };
  visit(codec.node);
  return codec;
}

/** The nodes directly inside a node. */
export function childrenOf(node: TypeNode): readonly TypeNode[] {
  switch (node.kind) {
    case 'class':
      return node.shape().fields.map((field) => field.type);
    case 'union':
      return node.options;
    case 'tuple':
      return node.items;
    case 'map':
      return [node.key, node.value];
    default:
      return 'item' in node ? [node.item] : [];
  }
}

/**
 * The problems of a value that failed to decode, each with its path: the first `maxIssues` of the
 * codec's limits (or fewer, if `max` says so), and a count of the rest.
 */
export function issuesOf(codec: Codec, json: unknown, max?: number): FoundIssues {
  const { maxIssues } = limitsOfCodec.get(codec) ?? defaultDecodeLimits;
  return collectIssues(codec.decode, json, max === undefined ? maxIssues : Math.min(max, maxIssues));
}

/** A codec for values whose JSON form is the value itself, after a type check. */
function checked(node: TypeNode, expected: string, accepts: (value: unknown) => boolean): Codec {
  const check = (value: unknown) => (accepts(value) ? value : refuse(expected, value));
  return makeCodec(node, check, check, true);
}

/**
 * The codec with its node's bounds checked on both sides: a string or number once its type is
 * known good, an array or set by its size before its items are converted.
 */
function constrainedCodec(codec: Codec, constraints: Constraints): Codec {
  const check = constraintCheck(codec.node.kind, constraints);
  if (codec.node.kind === 'array' || codec.node.kind === 'set') {
    return makeCodec(
      codec.node,
      (value) => (check(value), codec.encode(value)),
      (json) => (check(json), codec.decode(json)),
      codec.returnsInput,
    );
  }
  return makeCodec(
    codec.node,
    (value) => {
      const json = codec.encode(value);
      check(json);
      return json;
    },
    (json) => {
      const value = codec.decode(json);
      check(value);
      return value;
    },
    codec.returnsInput,
  );
}

function build(node: TypeNode, limits: DecodeLimits): Codec {
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
    case 'literal':
      return checked(node, JSON.stringify(node.value), (v) => v === node.value);
    case 'json':
      return makeCodec(node, (v) => walkJson(v, limits, true), (v) => walkJson(v, limits, false), true);
    case 'json-object':
      return makeCodec(
        node,
        (v) => (isKeyedObject(v) ? walkJson(v, limits, true) : refuse('a JSON object', v)),
        (v) => (isKeyedObject(v) ? walkJson(v, limits, false) : refuse('a JSON object', v)),
        true,
      );
    case 'void':
      return makeCodec(node, () => undefined, () => undefined);
    case 'date':
      return makeCodec(
        node,
        (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : refuse('a valid Date', v)),
        (v) => (typeof v === 'string' ? decodeIsoDate(v) : refuse('an ISO-8601 date string', v)),
      );
    case 'bytes':
      return makeCodec(node, encodeBytes, decodeBytes);
    case 'enum': {
      const expected = `one of ${node.wireTokens.map((token) => JSON.stringify(token)).join(', ')}`;
      const member = node.name ? `a member of ${node.name}` : 'an enum member';
      return makeCodec(
        node,
        (v) => node.toWire.get(v as string | number) ?? refuse(`${member} (${expected})`, v),
        (v) => node.fromWire.get(v) ?? refuse(expected, v),
      );
    }
    case 'optional':
    case 'nullable': {
      const item = codecFor(node.item, limits);
      const empty = node.kind === 'optional' ? undefined : null;
      return makeCodec(
        node,
        (v) => (v === undefined || v === null ? empty : item.encode(v)),
        (v) => (v === undefined || v === null ? empty : item.decode(v)),
      );
    }
    case 'array':
      return arrayCodec(node, node.item, limits);
    case 'set':
      return setCodec(node, node.item, limits);
    case 'tuple':
      return tupleCodec(node, node.items, limits);
    case 'record':
      return recordCodec(node, node.item, limits);
    case 'map':
      return mapCodec(node, node.key, node.value, limits);
    case 'union':
      return unionCodec(node, limits);
    case 'class':
      return classCodec(node, limits);
    case 'stream':
      throw new TypeError('stream(…) describes a whole parameter or result; it cannot be nested in a value');
  }
}
