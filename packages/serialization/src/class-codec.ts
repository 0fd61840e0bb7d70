import { SerializationError, fail, prefixPath, refuse } from './serialization-error.js';
import { checkEntryCount, enterContainer, leaveContainer, type DecodeLimits } from './decode-limits.js';
import { atMember, isCollecting, recordProblem } from './issue-collector.js';
import { type Codec, codecFor, makeCodec } from './codec.js';
import { mayBeLeftOut } from './absentable.js';
import { copyOwnData, isKeyedObject } from './collection-codecs.js';
import { registeredClass, registeredName } from './registry.js';
import { type ClassNode, type TypeNode, toTypeNode } from './type-node.js';
import { type ClassType, describeValue } from './descriptor.js';

/** The reference's tags for a subclass value in a base-class slot: {"@type": "dataclass", "@subtype": "<name>", …fields}. */
export const typeTag = '@type';
export const subtypeTag = '@subtype';
const dataclassTag = 'dataclass';

interface FieldPlan {
  readonly property: string;
  readonly name: string;
  /** The property name, also read on input, unless it is the same as the wire name or another field's wire name. */
  readonly alias: string | undefined;
  readonly codec: Codec;
  readonly required: boolean;
}

/**
 * A DTO class: an object of its declared fields under their wire names. A value of a registered
 * subclass is written with @type/@subtype tags and read back as that subclass; an instance of
 * the class itself (or a plain object) carries no tags.
 */
export function classCodec(node: ClassNode, limits: DecodeLimits): Codec {
  const type = node.type;
  let compiled: { fields: FieldPlan[]; copiesUndeclaredKeys: boolean } | undefined;
  const plan = () => {
    if (!compiled) {
      const shape = node.shape();
      const fieldCodec = (fieldType: TypeNode) => (shape.likePlainToInstance ? oneOrEach(codecFor(fieldType, limits), limits) : codecFor(fieldType, limits));
      const wireNames = new Set(shape.fields.map((f) => f.name));
      compiled = {
        copiesUndeclaredKeys: shape.likePlainToInstance,
        fields: shape.fields.map((f) => ({
          property: f.property,
          name: f.name,
          alias: wireNames.has(f.property) ? undefined : f.property,
          codec: fieldCodec(f.type),
          required: !mayBeLeftOut(f.type),
        })),
      };
    }
    return compiled;
  };

  const encodeFields = (value: Record<string, unknown>): Record<string, unknown> => {
    const { fields, copiesUndeclaredKeys } = plan();
    const out: Record<string, unknown> = copiesUndeclaredKeys ? copyOwnData(value) : {};
    if (isCollecting()) {
      for (const { property, name, codec } of fields) {
        const encoded = atMember(name, () => codec.encode(value[property]));
        if (encoded !== undefined) out[name] = encoded;
      }
      return out;
    }
    // One try around the loop instead of a closure per field (what atMember() amounts to when not collecting).
    let i = 0;
    try {
      for (; i < fields.length; i++) {
        const field = fields[i];
        const encoded = field.codec.encode(value[field.property]);
        if (encoded !== undefined) out[field.name] = encoded;
      }
    } catch (error) {
      throw prefixPath(error, fields[i].name);
    }
    return out;
  };

  const encode = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse(`an instance of ${type.name}`, value);
    const proto = Object.getPrototypeOf(value);
    if (proto !== type.prototype && value instanceof type) return encodeSubclass(value as object, type, limits);
    return encodeFields(value as Record<string, unknown>);
  };

  const missing = `missing required field of ${type.name}`;

  /** Decodes one field into the instance; false when it is required and missing, which the caller reports. */
  const decodeField = (field: FieldPlan, json: Record<string, unknown>, instance: Record<string, unknown>): boolean => {
    let raw = json[field.name];
    // Both the wire name and the property name are read, so camelCase and snake_case senders both work.
    if (raw === undefined && field.alias !== undefined) raw = json[field.alias];
    // A field the class initialises may be left out: it keeps that value.
    if (raw === undefined && field.required) return instance[field.property] !== undefined;
    const decoded = field.codec.decode(raw);
    // Leaving undefined unassigned keeps the class's own default for an absent optional field.
    if (decoded !== undefined) instance[field.property] = decoded;
    return true;
  };

  const decodeOwn = (json: Record<string, unknown>) => {
    // insideContainer(limits, …) without allocating its closure.
    enterContainer(limits);
    try {
      const { fields, copiesUndeclaredKeys } = plan();
      const instance = construct(type);
      if (copiesUndeclaredKeys) Object.assign(instance, copyOwnData(json));
      if (isCollecting()) {
        // A missing field is recorded without a throw: 100,000 empty objects are a cheap attack.
        for (const field of fields) atMember(field.name, () => decodeField(field, json, instance) || recordProblem(missing));
        return instance;
      }
      let i = 0;
      try {
        for (; i < fields.length; i++) if (!decodeField(fields[i], json, instance)) fail(missing);
      } catch (error) {
        throw prefixPath(error, fields[i].name);
      }
      return instance;
    } finally {
      leaveContainer();
    }
  };

  const decode = (json: unknown): unknown => {
    if (!isKeyedObject(json)) return refuse(`an object for ${type.name}`, json);
    // Either tag makes the object a tagged one: an @type without @subtype (the reference's "@base64") is refused, not ignored.
    if (json[subtypeTag] === undefined && json[typeTag] === undefined) return decodeOwn(json);
    const actual = resolveSubtype(json, type);
    return actual === type ? decodeOwn(json) : codecFor(toTypeNode(actual as ClassType), limits).decode(json);
  };

  return makeCodec(node, encode, decode);
}

function encodeSubclass(value: object, base: Function, limits: DecodeLimits): Record<string, unknown> {
  const actual = value.constructor;
  const name = registeredName(actual);
  if (name === undefined) {
    throw new SerializationError(`${actual.name} is a subclass of ${base.name} but is not registered: mark it with @dto()`);
  }
  const fields = codecFor(toTypeNode(actual as ClassType), limits).encode(value) as Record<string, unknown>;
  // Tags after the fields, as the reference writes them.
  fields[typeTag] = dataclassTag;
  fields[subtypeTag] = name;
  return fields;
}

/**
 * The class a tagged object is read as. A `@subtype` that names a registered class gives that
 * class, which must be the declared class or a subclass of it: only registered classes are built
 * from what a tag says. The reference's Python client also tags values whose class the declared
 * type (or a tagged union's discriminator) already decides, with the Python path of their class
 * (`tracker.models.LogMetricRequest`); an unregistered dotted name whose last segment is the
 * declared class's own name gives the declared class, as the object without tags would.
 */
function resolveSubtype(json: Record<string, unknown>, base: Function): Function {
  const tag = json[typeTag];
  if (tag !== undefined && tag !== dataclassTag) fail(`unknown ${typeTag} ${describeValue(tag)}; expected "${dataclassTag}"`);
  const name = json[subtypeTag];
  if (typeof name !== 'string') return refuse(`a type name in ${subtypeTag}`, name);
  const actual = registeredClass(name);
  if (actual === undefined) return namesDeclaredClass(name, base) ? base : fail(`unknown ${subtypeTag} ${describeValue(name)}`);
  if (actual !== base && !(actual.prototype instanceof base)) fail(`${subtypeTag} ${describeValue(name)} is not a subclass of ${base.name}`);
  return actual;
}

/**
 * Whether a Python class path (`<module>.<Class>`, or `<module>.<Outer>.<Class>`) names the
 * declared class: its last segment is the class's name, or the last segment of its registered name.
 */
function namesDeclaredClass(name: string, base: Function): boolean {
  const dot = name.lastIndexOf('.');
  if (dot < 0 || dot === name.length - 1) return false;
  const last = name.slice(dot + 1);
  const registered = registeredName(base);
  return last === base.name || (registered !== undefined && last === registered.slice(registered.lastIndexOf('.') + 1));
}

/**
 * class-transformer's @Type(() => X) names the element class of an array property too (`@Type(() =>
 * Item) items: Item[]`) and plainToInstance converts each element; without design:type metadata
 * only the value itself tells which it is.
 */
function oneOrEach(item: Codec, limits: DecodeLimits): Codec {
  const map = (transform: (value: unknown) => unknown) => (value: unknown) =>
    Array.isArray(value) ? value.map((element, i) => atMember(i, () => transform(element))) : transform(value);
  const decode = map(item.decode);
  // An array read from the wire is held to maxItems, as [D] is.
  return makeCodec(item.node, map(item.encode), (value) => {
    if (Array.isArray(value)) checkEntryCount(value.length, limits);
    return decode(value);
  });
}

function construct(type: Function): Record<string, unknown> {
  try {
    return new (type as new () => Record<string, unknown>)();
  } catch (error) {
    return fail(`cannot construct ${type.name} without arguments: ${describeThrown(error)}`);
  }
}

/** The message of what a constructor threw, at most 100 characters; never throws itself. */
function describeThrown(error: unknown): string {
  try {
    const message = error instanceof Error ? error.message : String(error);
    return message.length > 100 ? `${message.slice(0, 99)}…` : message;
  } catch {
    return 'an error that cannot be shown';
  }
}
