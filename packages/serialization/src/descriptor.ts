/**
 * Type descriptors: the small runtime values a contract uses to state what TypeScript erases.
 *
 * A descriptor is one of
 *   String, Number, Boolean, Date        the built-in constructors
 *   Int, Json, JsonObject, Bytes, Void   markers exported here
 *   [D]                                  an array of D
 *   optional(D), nullable(D), arrayOf(D), recordOf(D), enumOf(E), stream(D)
 *   constrained(D, { … })                D with bounds (constraints.ts)
 *   SomeClass                            a DTO class whose fields are declared with @field
 *   () => SomeClass                      the same, for a class declared further down the file
 *
 * Each descriptor has two static types: Infer<D>, what a receiver gets after decoding, and
 * Accept<D>, what a sender may hand in for encoding. Contracts are checked against both.
 */

// A registered symbol: descriptors made by another copy of this package (two versions in one
// bundle or node_modules tree) are still recognised as descriptors.
export const descriptorBrand: unique symbol = Symbol.for('marshal.descriptor');
declare const decodedType: unique symbol;
declare const acceptedType: unique symbol;

export type MarkerKind = 'int' | 'json' | 'json-object' | 'bytes' | 'void';
export type WrapperKind = 'optional' | 'nullable' | 'array' | 'record' | 'stream' | 'set';
export type CompositeKind = 'literal' | 'union' | 'tuple' | 'map' | 'constrained';

/**
 * A descriptor object made by this module. The phantom members carry its static types only;
 * they are functions so that inference keeps `undefined` in the types it reads from them.
 */
export interface DescriptorObject<Decoded = unknown, Accepted = Decoded> {
  readonly [descriptorBrand]: MarkerKind | WrapperKind | CompositeKind | 'enum';
  readonly [decodedType]?: () => Decoded;
  readonly [acceptedType]?: () => Accepted;
}

export interface MarkerDescriptor<T, Accepted = T> extends DescriptorObject<T, Accepted> {
  readonly [descriptorBrand]: MarkerKind;
}
export interface WrapperDescriptor<Decoded, Accepted = Decoded> extends DescriptorObject<Decoded, Accepted> {
  readonly [descriptorBrand]: WrapperKind;
  readonly item: Descriptor;
}
export type LiteralValue = string | number | boolean;
export interface LiteralDescriptor<V extends LiteralValue = LiteralValue> extends DescriptorObject<V> {
  readonly [descriptorBrand]: 'literal';
  readonly value: V;
}
export interface UnionDescriptor<Decoded = unknown, Accepted = Decoded> extends DescriptorObject<Decoded, Accepted> {
  readonly [descriptorBrand]: 'union';
  readonly options: readonly Descriptor[];
  /** For a tagged union: the JSON key whose literal value names the option. */
  readonly discriminator: string | undefined;
}
export interface TupleDescriptor<Decoded = unknown, Accepted = Decoded> extends DescriptorObject<Decoded, Accepted> {
  readonly [descriptorBrand]: 'tuple';
  readonly items: readonly Descriptor[];
}
export interface MapDescriptor<Decoded = unknown, Accepted = Decoded> extends DescriptorObject<Decoded, Accepted> {
  readonly [descriptorBrand]: 'map';
  readonly key: Descriptor;
  readonly value: Descriptor;
}
export type EnumObject = Record<string, string | number>;
export interface EnumDescriptor<E extends EnumObject = EnumObject> extends DescriptorObject<EnumValue<E>> {
  readonly [descriptorBrand]: 'enum';
  readonly enumObject: E;
  readonly name: string | undefined;
  readonly byValue: boolean;
}
/** The member values of a TypeScript enum object; numeric enums' reverse-mapping keys are skipped. */
export type EnumValue<E> = E[Exclude<keyof E, number>];

export type ClassType<T = unknown> = abstract new (...args: never[]) => T;
export type ClassThunk<T = unknown> = () => ClassType<T>;

export type Descriptor =
  | StringConstructor
  | NumberConstructor
  | BooleanConstructor
  | DateConstructor
  | DescriptorObject<any, any>
  | readonly [Descriptor]
  | ClassType<any>
  | ClassThunk<any>;

/** What a receiver holds after decoding a value described by D. */
export type Infer<D> = D extends StringConstructor
  ? string
  : D extends NumberConstructor
    ? number
    : D extends BooleanConstructor
      ? boolean
      : D extends DateConstructor
        ? Date
        : D extends DescriptorObject<infer T, any>
          ? T
          : D extends readonly [infer E]
            ? Infer<E>[]
            : D extends ClassType<infer I>
              ? I
              : D extends ClassThunk<infer I>
                ? I
                : never;

/** What a sender may pass in for a value described by D. */
export type Accept<D> = D extends DescriptorObject<any, infer A>
  ? A
  : D extends readonly [infer E]
    ? readonly Accept<E>[]
    : Infer<D>;

function marker<T, Accepted = T>(kind: MarkerKind): MarkerDescriptor<T, Accepted> {
  return Object.freeze({ [descriptorBrand]: kind }) as MarkerDescriptor<T, Accepted>;
}

/** A JSON value, as JSON.parse gives it: what a `Json` parameter or field decodes to. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object, as JSON.parse gives it: what a `JsonObject` parameter or field decodes to. */
export type JsonObject = { [key: string]: JsonValue };
/**
 * What a sender may pass for a `Json` value: a JSON value, read-only or not, whose object members
 * may be undefined (JSON.stringify leaves those out).
 */
export type JsonInput = string | number | boolean | null | readonly JsonInput[] | JsonObjectInput;
/** What a sender may pass for a `JsonObject` value. */
export type JsonObjectInput = { readonly [key: string]: JsonInput | undefined };

/** A number that must be a safe integer. */
export const Int = marker<number>('int');
/** Any JSON value, passed through: walked for the decode limits and prototype keys, not otherwise checked. */
export const Json = marker<JsonValue, JsonInput>('json');
/** A JSON object (not an array, not null), passed through as Json is. */
export const JsonObject = marker<JsonObject, JsonObjectInput>('json-object');
/** Binary data: a Uint8Array (Buffer is one). */
export const Bytes = marker<Uint8Array>('bytes');
/** No value: the endpoint returns nothing. */
export const Void = marker<void>('void');

function wrapper<Decoded, Accepted>(kind: WrapperKind, item: Descriptor): WrapperDescriptor<Decoded, Accepted> {
  if (!isDescriptor(item)) {
    throw new TypeError(`${kind}(…) needs a descriptor, got ${describeValue(item)}`);
  }
  return Object.freeze({ [descriptorBrand]: kind, item }) as WrapperDescriptor<Decoded, Accepted>;
}

/** May be absent. Absent and null both arrive as undefined. */
export function optional<const D extends Descriptor>(item: D): WrapperDescriptor<Infer<D> | undefined, Accept<D> | null | undefined> {
  return wrapper('optional', item);
}

/** May be null. Absent and null both arrive as null. */
export function nullable<const D extends Descriptor>(item: D): WrapperDescriptor<Infer<D> | null, Accept<D> | null | undefined> {
  return wrapper('nullable', item);
}

/** An array of D; the same as [D]. */
export function arrayOf<const D extends Descriptor>(item: D): WrapperDescriptor<Infer<D>[], readonly Accept<D>[]> {
  return wrapper('array', item);
}

/** An object with string keys and values of D. */
export function recordOf<const D extends Descriptor>(
  item: D,
): WrapperDescriptor<Record<string, Infer<D>>, Readonly<Record<string, Accept<D>>>> {
  return wrapper('record', item);
}

/** A stream of D: a parameter or result delivered piece by piece (files with Bytes, items otherwise). */
export function stream<const D extends Descriptor>(
  item: D,
): WrapperDescriptor<AsyncIterable<Infer<D>>, AsyncIterable<Accept<D>> | Iterable<Accept<D>>> {
  return wrapper('stream', item);
}

export interface EnumOptions {
  /** The enum's name in documentation and messages. */
  readonly name?: string;
  /** Write member values ("green") instead of member names ("GREEN"), as most JSON APIs do. */
  readonly byValue?: boolean;
}

/** Exactly this string, number or boolean; the discriminator field of a tagged union's classes. */
export function literal<const V extends LiteralValue>(value: V): LiteralDescriptor<V> {
  if (typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) {
    throw new TypeError(`literal(…) takes a string, a finite number or a boolean, got ${describeValue(value)}`);
  }
  return Object.freeze({ [descriptorBrand]: 'literal', value }) as LiteralDescriptor<V>;
}

function checkedAll(what: string, items: readonly unknown[]): readonly Descriptor[] {
  items.forEach((item, i) => {
    if (!isDescriptor(item)) throw new TypeError(`${what}: item ${i} is not a descriptor, got ${describeValue(item)}`);
  });
  return Object.freeze([...items]) as readonly Descriptor[];
}

type InferAll<Ds extends readonly unknown[]> = { -readonly [K in keyof Ds]: Infer<Ds[K]> };
type AcceptAll<Ds extends readonly unknown[]> = { readonly [K in keyof Ds]: Accept<Ds[K]> };

/** One of several types, tried in order when decoding (the reference's `A | B`). */
export function union<const Ds extends readonly Descriptor[]>(...options: Ds): UnionDescriptor<Infer<Ds[number]>, Accept<Ds[number]>> {
  if (options.length < 2) throw new TypeError('union(…) needs at least two options');
  return Object.freeze({ [descriptorBrand]: 'union', options: checkedAll('union(…)', options), discriminator: undefined }) as UnionDescriptor<
    Infer<Ds[number]>,
    Accept<Ds[number]>
  >;
}

/**
 * A union of DTO classes told apart by one JSON key, as `{"type": "log_metric", …}`: each class
 * declares that key's field with literal(…).
 */
export function taggedUnion<const Ds extends readonly Descriptor[]>(
  discriminator: string,
  options: Ds,
): UnionDescriptor<Infer<Ds[number]>, Accept<Ds[number]>> {
  if (typeof discriminator !== 'string' || discriminator === '') throw new TypeError('taggedUnion(…) needs the name of the discriminating key');
  if (!Array.isArray(options) || options.length < 1) throw new TypeError('taggedUnion(…) needs a list of classes');
  return Object.freeze({ [descriptorBrand]: 'union', options: checkedAll('taggedUnion(…)', options), discriminator }) as UnionDescriptor<
    Infer<Ds[number]>,
    Accept<Ds[number]>
  >;
}

/** A fixed-length array with a type per position: tuple(String, Int) is [string, number]. */
export function tuple<const Ds extends readonly Descriptor[]>(...items: Ds): TupleDescriptor<InferAll<Ds>, AcceptAll<Ds>> {
  return Object.freeze({ [descriptorBrand]: 'tuple', items: checkedAll('tuple(…)', items) }) as TupleDescriptor<InferAll<Ds>, AcceptAll<Ds>>;
}

/** A Map, written as a JSON object: keys (String, Number, Int, Boolean, Date or an enum) in their text form. */
export function mapOf<const K extends Descriptor, const V extends Descriptor>(
  key: K,
  value: V,
): MapDescriptor<Map<Infer<K>, Infer<V>>, ReadonlyMap<Accept<K>, Accept<V>>> {
  const [k, v] = checkedAll('mapOf(…)', [key, value]);
  return Object.freeze({ [descriptorBrand]: 'map', key: k, value: v }) as MapDescriptor<Map<Infer<K>, Infer<V>>, ReadonlyMap<Accept<K>, Accept<V>>>;
}

/** A Set, written as a JSON array. */
export function setOf<const D extends Descriptor>(item: D): WrapperDescriptor<Set<Infer<D>>, ReadonlySet<Accept<D>>> {
  return wrapper('set', item);
}

/** A TypeScript enum, written on the wire by member name (as the reference does) or, with byValue, by value. */
export function enumOf<const E extends EnumObject>(enumObject: E, options: EnumOptions = {}): EnumDescriptor<E> {
  if (enumObject === null || typeof enumObject !== 'object' || Object.keys(enumObject).length === 0) {
    throw new TypeError(`enumOf(…) needs a non-empty enum object, got ${describeValue(enumObject)}`);
  }
  return Object.freeze({ [descriptorBrand]: 'enum', enumObject, name: options.name, byValue: options.byValue ?? false }) as EnumDescriptor<E>;
}

export function isDescriptorObject(value: unknown): value is DescriptorObject {
  return typeof value === 'object' && value !== null && descriptorBrand in value;
}

export function isDescriptor(value: unknown): value is Descriptor {
  if (typeof value === 'function') return true;
  if (Array.isArray(value)) return value.length === 1 && isDescriptor(value[0]);
  return isDescriptorObject(value);
}

/** A short, safe rendering of any value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return value.name ? `function ${value.name}` : 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (value instanceof Uint8Array) return 'bytes';
  const ctor = (value as object).constructor;
  return ctor && ctor !== Object && typeof ctor.name === 'string' && ctor.name ? `an instance of ${ctor.name}` : 'an object';
}
