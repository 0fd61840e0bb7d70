import {
  type ClassType,
  type Descriptor,
  type EnumObject,
  type MarkerKind,
  type WrapperKind,
  descriptorBrand,
  describeValue,
  isDescriptorObject,
  type EnumDescriptor,
  type LiteralDescriptor,
  type LiteralValue,
  type MapDescriptor,
  type TupleDescriptor,
  type UnionDescriptor,
  type WrapperDescriptor,
} from './descriptor.js';
import { declaredFields } from './field.js';
import { fieldNamingOf } from './dto.js';
import { classTransformerShape } from './class-transformer-fields.js';
import type { ConstrainedDescriptor, Constraints } from './constraints.js';

/** A descriptor in normal form: what the codecs, the URL rules and the documentation work from. */
export type TypeNode =
  | { readonly kind: 'string' | 'number' | 'boolean' | 'date' | MarkerKind; readonly constraints?: Constraints }
  | { readonly kind: WrapperKind; readonly item: TypeNode; readonly constraints?: Constraints }
  | { readonly kind: 'literal'; readonly value: LiteralValue }
  | { readonly kind: 'tuple'; readonly items: readonly TypeNode[] }
  | { readonly kind: 'map'; readonly key: TypeNode; readonly value: TypeNode }
  | UnionNode
  | EnumNode
  | ClassNode;

/** The bounds of a string, number, Int, array or set node made with constrained(…), if any. */
export function constraintsOf(node: TypeNode): Constraints | undefined {
  return 'constraints' in node ? node.constraints : undefined;
}

export interface UnionNode {
  readonly kind: 'union';
  readonly options: readonly TypeNode[];
  /** Set for a tagged union: the JSON key whose literal value names the option. */
  readonly discriminator: string | undefined;
}

export type EnumMember = string | number;

export interface EnumNode {
  readonly kind: 'enum';
  readonly name: string | undefined;
  readonly byValue: boolean;
  /** What travels for each member, in declaration order: member names, or member values with byValue. */
  readonly wireTokens: readonly EnumMember[];
  readonly toWire: ReadonlyMap<EnumMember, EnumMember>;
  readonly fromWire: ReadonlyMap<unknown, EnumMember>;
  /** For URL text, where a numeric value arrives as a string. */
  readonly fromText: ReadonlyMap<string, EnumMember>;
}

export interface ClassField {
  readonly property: string;
  /** The key on the wire: an explicit name, the class's field naming, or the property itself. */
  readonly name: string;
  readonly type: TypeNode;
}

export interface ClassShape {
  readonly fields: readonly ClassField[];
  /**
   * True for class-transformer DTOs, read and written as its plainToInstance does: JSON keys that no
   * field declares are copied as they are, and a @Type field takes one value or an array of them.
   * False for @field DTOs: undeclared keys are dropped, and each field takes exactly its type.
   */
  readonly likePlainToInstance: boolean;
}

export interface ClassNode {
  readonly kind: 'class';
  readonly type: ClassType;
  /** The declared fields, resolved on first use so that classes may refer to each other or to themselves. */
  shape(): ClassShape;
}

const primitiveByConstructor = new Map<unknown, TypeNode>([
  [String, { kind: 'string' }],
  [Number, { kind: 'number' }],
  [Boolean, { kind: 'boolean' }],
  [Date, { kind: 'date' }],
]);
const markerNodes = new Map<MarkerKind, TypeNode>();
const classNodes = new WeakMap<Function, ClassNode>();
const wrapperNodes = new WeakMap<object, TypeNode>();

/** A TypeNode as it is, or a descriptor's TypeNode. */
export function typeNodeOf(source: Descriptor | TypeNode): TypeNode {
  return isTypeNode(source) ? source : toTypeNode(source);
}

/** TypeNodes are plain objects with a kind; descriptors are constructors, arrays, thunks or branded objects. */
export function isTypeNode(value: unknown): value is TypeNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as TypeNode).kind === 'string';
}

/**
 * Turns a descriptor into its TypeNode. Throws a TypeError naming what is wrong; callers add
 * where it happened (class, method, parameter).
 */
export function toTypeNode(descriptor: Descriptor): TypeNode {
  const primitive = primitiveByConstructor.get(descriptor);
  if (primitive) return primitive;
  if (Array.isArray(descriptor)) {
    if (descriptor.length !== 1) throw new TypeError(`an array descriptor holds exactly one item descriptor, like [Item]; got ${descriptor.length}`);
    return { kind: 'array', item: toTypeNode(descriptor[0]) };
  }
  if (isDescriptorObject(descriptor)) return objectNode(descriptor);
  if (typeof descriptor === 'function') {
    // Classes have a prototype object; arrow-function thunks (() => Item) do not.
    if (descriptor.prototype === undefined) return classNode(resolveThunk(descriptor as () => unknown));
    return classNode(descriptor);
  }
  throw new TypeError(`not a type descriptor: ${describeValue(descriptor)}`);
}

function objectNode(descriptor: object & { [descriptorBrand]: string }): TypeNode {
  const kind = descriptor[descriptorBrand];
  if (kind === 'enum') return enumNode(descriptor as EnumDescriptor);
  if (kind === 'int' || kind === 'json' || kind === 'json-object' || kind === 'bytes' || kind === 'void') {
    let node = markerNodes.get(kind);
    if (!node) markerNodes.set(kind, (node = { kind }));
    return node;
  }
  let node = wrapperNodes.get(descriptor);
  if (!node) {
    node = compositeNode(descriptor);
    wrapperNodes.set(descriptor, node);
  }
  return node;
}

function compositeNode(descriptor: object & { [descriptorBrand]: string }): TypeNode {
  switch (descriptor[descriptorBrand]) {
    case 'literal':
      return { kind: 'literal', value: (descriptor as LiteralDescriptor).value };
    case 'union': {
      const union = descriptor as UnionDescriptor;
      return { kind: 'union', options: union.options.map(toTypeNode), discriminator: union.discriminator };
    }
    case 'tuple':
      return { kind: 'tuple', items: (descriptor as TupleDescriptor).items.map(toTypeNode) };
    case 'map': {
      const map = descriptor as MapDescriptor;
      return { kind: 'map', key: toTypeNode(map.key), value: toTypeNode(map.value) };
    }
    case 'constrained': {
      // constrained() already checked that its item is a string, number, Int, array or set node.
      const { item, constraints } = descriptor as ConstrainedDescriptor<unknown>;
      return { ...(toTypeNode(item) as { kind: 'string' }), constraints };
    }
    default: {
      const wrapper = descriptor as WrapperDescriptor<unknown>;
      return { kind: wrapper[descriptorBrand] as WrapperKind, item: toTypeNode(wrapper.item) };
    }
  }
}

function resolveThunk(thunk: () => unknown): Function {
  const resolved = thunk();
  if (typeof resolved !== 'function' || resolved.prototype === undefined) {
    throw new TypeError(`a () => Class thunk returned ${describeValue(resolved)}; is the class declared and exported?`);
  }
  return resolved;
}

function enumNode(descriptor: EnumDescriptor): EnumNode {
  const toWire = new Map<EnumMember, EnumMember>();
  const fromWire = new Map<unknown, EnumMember>();
  const fromText = new Map<string, EnumMember>();
  for (const [name, value] of Object.entries(descriptor.enumObject as EnumObject)) {
    // Numeric enums also map each value back to its name (E[E.A] === 'A'); those reverse entries are
    // skipped by what they are, since their keys need not be digits: E[-1], E[0.5].
    const enumObject = descriptor.enumObject as EnumObject;
    if (typeof value === 'string' && typeof enumObject[value] === 'number' && String(enumObject[value]) === name) continue;
    const token = descriptor.byValue ? value : name;
    toWire.set(value, token);
    fromWire.set(token, value);
    fromText.set(String(token), value);
  }
  return { kind: 'enum', name: descriptor.name, byValue: descriptor.byValue, wireTokens: [...fromWire.keys()] as EnumMember[], toWire, fromWire, fromText };
}

const builtIns = new Set<Function>([Object, Array, Map, Set, Promise, RegExp, Error, Uint8Array, ArrayBuffer, Function, Symbol, BigInt]);

function classNode(type: Function): ClassNode {
  const cached = classNodes.get(type);
  if (cached) return cached;
  if (builtIns.has(type)) {
    throw new TypeError(`${type.name} is not a descriptor; use Json, JsonObject, [Item], recordOf(Item) or Bytes`);
  }
  let shape: ClassShape | undefined;
  const node: ClassNode = { kind: 'class', type: type as ClassType, shape: () => (shape ??= resolveShape(type)) };
  classNodes.set(type, node);
  return node;
}

function resolveShape(type: Function): ClassShape {
  const declared = declaredFields(type);
  const naming = fieldNamingOf(type) ?? ((property: string) => property);
  if (declared.length > 0) {
    const fields = declared.map((spec) => ({
      property: spec.property,
      name: spec.name ?? naming(spec.property),
      type: fieldNode(type, spec.property, () => toTypeNode(spec.descriptor)),
    }));
    const names = new Set<string>();
    for (const field of fields) {
      if (names.has(field.name)) throw new TypeError(`${type.name}: two fields are named ${JSON.stringify(field.name)} on the wire`);
      names.add(field.name);
    }
    return { likePlainToInstance: false, fields };
  }
  const shape = classTransformerShape(type);
  if (shape) {
    const fields: ClassField[] = [];
    for (const [property, typeOf] of shape.typed) {
      fields.push({ property, name: property, type: fieldNode(type, property, () => classNode(typeOf())) });
    }
    return { likePlainToInstance: true, fields };
  }
  throw new TypeError(
    `class ${type.name || '(anonymous)'} has no declared fields: mark them with @field(…), or use class-transformer's @Type/@Expose and import '@marshal/serialization/class-transformer'`,
  );
}

function fieldNode(type: Function, property: string, build: () => TypeNode): TypeNode {
  try {
    return build();
  } catch (error) {
    throw new TypeError(`${type.name}.${property}: ${(error as Error).message}`);
  }
}
