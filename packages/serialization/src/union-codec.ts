import { SerializationError, fail, refuse } from './serialization-error.js';
import type { DecodeLimits } from './decode-limits.js';
import { atMember, withoutCollecting } from './issue-collector.js';
import { type Codec, codecFor, makeCodec } from './codec.js';
import { isKeyedObject } from './collection-codecs.js';
import type { ClassNode, TypeNode, UnionNode } from './type-node.js';

export function unionCodec(node: UnionNode, limits: DecodeLimits): Codec {
  return node.discriminator === undefined ? untaggedCodec(node, limits) : taggedCodec(node, node.discriminator, limits);
}

/** Each option is tried in order, as the reference does; the first that fits wins. */
function untaggedCodec(node: UnionNode, limits: DecodeLimits): Codec {
  const options = node.options.map((option) => codecFor(option, limits));
  const tryEach = (direction: 'encode' | 'decode') => (value: unknown) => {
    let first: SerializationError | undefined;
    for (const option of options) {
      try {
        return withoutCollecting(() => option[direction](value));
      } catch (error) {
        if (!(error instanceof SerializationError)) throw error;
        first ??= error;
      }
    }
    return fail(`fits none of the ${options.length} options of the union (the first says: ${first?.message})`);
  };
  return makeCodec(node, tryEach('encode'), tryEach('decode'));
}

interface TaggedOption {
  readonly type: Function;
  readonly property: string;
  readonly codec: Codec;
}

/** Options are DTO classes whose `discriminator` field is a literal; that value picks the class. */
function taggedCodec(node: UnionNode, discriminator: string, limits: DecodeLimits): Codec {
  let byTag: Map<unknown, TaggedOption> | undefined;
  const options = () => (byTag ??= tagTable(node.options, discriminator, limits));
  const expected = () => `one of ${[...options().keys()].map((tag) => JSON.stringify(tag)).join(', ')}`;

  const encode = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return refuse(`an object with ${JSON.stringify(discriminator)}`, value);
    const all = [...options().values()];
    const option =
      all.find((candidate) => candidate.type === value.constructor) ??
      all.find((candidate) => value instanceof candidate.type) ??
      options().get((value as Record<string, unknown>)[all[0].property]);
    if (!option) return refuse(`a member of the union (${expected()})`, value);
    return option.codec.encode(value);
  };

  const decode = (json: unknown): unknown => {
    if (!isKeyedObject(json)) return refuse(`an object with ${JSON.stringify(discriminator)}`, json);
    const option = options().get(json[discriminator]);
    if (!option) return atMember(discriminator, () => refuse(expected(), json[discriminator]));
    return option.codec.decode(json);
  };

  return makeCodec(node, encode, decode);
}

/** Builds the tag table once to refuse a malformed tagged union early (see resolvedCodecFor). */
export function checkTaggedUnion(node: UnionNode): void {
  if (node.discriminator !== undefined) tagTable(node.options, node.discriminator, undefined);
}

function tagTable(optionNodes: readonly TypeNode[], discriminator: string, limits: DecodeLimits | undefined): Map<unknown, TaggedOption> {
  const table = new Map<unknown, TaggedOption>();
  for (const optionNode of optionNodes) {
    if (optionNode.kind !== 'class') throw new TypeError(`taggedUnion(${JSON.stringify(discriminator)}, …) takes DTO classes, not ${optionNode.kind}`);
    const field = (optionNode as ClassNode).shape().fields.find((f) => f.name === discriminator);
    if (!field || field.type.kind !== 'literal') {
      throw new TypeError(`${optionNode.type.name} needs a field ${JSON.stringify(discriminator)} declared with literal(…) to be in a tagged union`);
    }
    const tag = field.type.value;
    if (table.has(tag)) throw new TypeError(`two classes of the tagged union use ${JSON.stringify(discriminator)} = ${JSON.stringify(tag)}`);
    table.set(tag, { type: optionNode.type, property: field.property, codec: codecFor(optionNode, limits) });
  }
  return table;
}
