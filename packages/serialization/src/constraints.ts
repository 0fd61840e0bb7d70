import {
  type Accept,
  type Descriptor,
  type DescriptorObject,
  type Infer,
  Int,
  descriptorBrand,
  describeValue,
  isDescriptor,
  isDescriptorObject,
} from './descriptor.js';
import { refuse } from './serialization-error.js';

/**
 * Bounds on a value beyond its type: the JSON Schema validation keywords of the same names, so
 * that the documentation states exactly what the decoder checks. Bounds are inclusive.
 */
export interface StringConstraints {
  /** Length in Unicode code points, as JSON Schema counts it. */
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Searched for, not anchored (as JSON Schema does): write ^…$ to match the whole string. */
  readonly pattern?: RegExp | string;
}
export interface NumberConstraints {
  readonly min?: number;
  readonly max?: number;
}
export interface ItemConstraints {
  readonly minItems?: number;
  readonly maxItems?: number;
}
export type Constraints = StringConstraints & NumberConstraints & ItemConstraints;

/** The constraints that apply to values of type T. */
export type ConstraintsFor<T> = [T] extends [string]
  ? StringConstraints
  : [T] extends [number]
    ? NumberConstraints
    : [T] extends [readonly unknown[] | ReadonlySet<unknown>]
      ? ItemConstraints
      : never;

export interface ConstrainedDescriptor<Decoded, Accepted = Decoded> extends DescriptorObject<Decoded, Accepted> {
  readonly [descriptorBrand]: 'constrained';
  readonly item: Descriptor;
  readonly constraints: Constraints;
}

/** The kinds that take constraints, and which keys each takes. */
type ConstrainableKind = 'string' | 'number' | 'int' | 'array' | 'set';
const keysByKind: Record<ConstrainableKind, readonly (keyof Constraints)[]> = {
  string: ['minLength', 'maxLength', 'pattern'],
  number: ['min', 'max'],
  int: ['min', 'max'],
  array: ['minItems', 'maxItems'],
  set: ['minItems', 'maxItems'],
};

/**
 * A string, number, Int, array or set with bounds: constrained(String, { maxLength: 200 }),
 * constrained(Int, { min: 1, max: 100 }), constrained([Item], { minItems: 1 }). Checked when
 * decoding and encoding, and written into the JSON Schema. A bound that does not apply to the
 * type, or that cannot hold, is a TypeError here, where the contract is declared.
 */
export function constrained<const D extends Descriptor>(
  item: D,
  constraints: ConstraintsFor<Infer<D>>,
): ConstrainedDescriptor<Infer<D>, Accept<D>> {
  if (!isDescriptor(item)) throw new TypeError(`constrained(…) needs a descriptor, got ${describeValue(item)}`);
  const kind = constrainableKind(item);
  if (kind === undefined) {
    throw new TypeError(`constrained(…) applies to String, Number, Int, arrays and sets, not to ${describeDescriptor(item)}`);
  }
  const own = checkedConstraints(kind, constraints as Constraints);
  const merged = isConstrained(item) ? { ...item.constraints, ...own } : own;
  checkBoundsOrder(merged);
  const base = isConstrained(item) ? item.item : item;
  return Object.freeze({ [descriptorBrand]: 'constrained', item: base, constraints: Object.freeze(merged) }) as ConstrainedDescriptor<
    Infer<D>,
    Accept<D>
  >;
}

export function isConstrained(descriptor: unknown): descriptor is ConstrainedDescriptor<unknown> {
  return isDescriptorObject(descriptor) && descriptor[descriptorBrand] === 'constrained';
}

/** The descriptor without its constraints: what decides where a parameter travels. */
export function withoutConstraints(descriptor: Descriptor): Descriptor {
  return isConstrained(descriptor) ? descriptor.item : descriptor;
}

/** Read from the descriptor itself, without resolving class thunks (which may not be declared yet). */
function constrainableKind(descriptor: Descriptor): ConstrainableKind | undefined {
  if (descriptor === String) return 'string';
  if (descriptor === Number) return 'number';
  if (descriptor === Int) return 'int';
  if (Array.isArray(descriptor)) return 'array';
  if (!isDescriptorObject(descriptor)) return undefined;
  const brand = descriptor[descriptorBrand];
  if (brand === 'array' || brand === 'set') return brand;
  if (brand === 'constrained') return constrainableKind((descriptor as ConstrainedDescriptor<unknown>).item);
  return undefined;
}

function describeDescriptor(descriptor: Descriptor): string {
  if (isDescriptorObject(descriptor)) return `${descriptor[descriptorBrand]}(…)`;
  return describeValue(descriptor);
}

function checkedConstraints(kind: ConstrainableKind, constraints: Constraints): Constraints {
  if (constraints === null || typeof constraints !== 'object') {
    throw new TypeError(`constrained(…) needs an object of bounds, got ${describeValue(constraints)}`);
  }
  const allowed = keysByKind[kind];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(constraints) as (keyof Constraints)[]) {
    const value = constraints[key];
    if (value === undefined) continue;
    if (!allowed.includes(key)) throw new TypeError(`constrained(…): ${key} does not apply to a ${kind}; it takes ${allowed.join(', ')}`);
    out[key] = key === 'pattern' ? checkedPattern(value) : checkedBound(key, value, kind);
  }
  return out as Constraints;
}

function checkedBound(key: string, value: unknown, kind: ConstrainableKind): number {
  const isCount = key !== 'min' && key !== 'max';
  const fits = isCount ? Number.isSafeInteger(value) && (value as number) >= 0 : Number.isFinite(value);
  if (!fits) throw new TypeError(`constrained(…): ${key} must be ${isCount ? 'a whole number ≥ 0' : 'a finite number'}, got ${describeValue(value)}`);
  if (kind === 'int' && !Number.isInteger(value)) throw new TypeError(`constrained(Int, …): ${key} must be an integer, got ${value}`);
  return value as number;
}

/**
 * JSON Schema patterns have no flags, so only a RegExp whose meaning survives without them is
 * taken (u and v only change how the source is read); g and y would also make test() stateful.
 */
function checkedPattern(value: unknown): RegExp {
  const pattern = typeof value === 'string' ? compile(value) : value;
  if (!(pattern instanceof RegExp)) throw new TypeError(`constrained(…): pattern must be a RegExp or a string, got ${describeValue(value)}`);
  const flags = pattern.flags.replace(/[uv]/g, '');
  if (flags !== '') {
    throw new TypeError(`constrained(…): pattern /${pattern.source}/${pattern.flags} has flags (${flags}) that a JSON Schema pattern cannot state`);
  }
  return pattern;
}

function compile(source: string): RegExp {
  try {
    return new RegExp(source, 'u');
  } catch (error) {
    throw new TypeError(`constrained(…): pattern ${JSON.stringify(source)} is not a valid regular expression: ${(error as Error).message}`);
  }
}

function checkBoundsOrder(constraints: Constraints): void {
  for (const [low, high] of [
    ['min', 'max'],
    ['minLength', 'maxLength'],
    ['minItems', 'maxItems'],
  ] as const) {
    const lower = constraints[low];
    const upper = constraints[high];
    if (lower !== undefined && upper !== undefined && lower > upper) {
      throw new TypeError(`constrained(…): ${low} (${lower}) is greater than ${high} (${upper}); no value could pass`);
    }
  }
}

/**
 * The check of a value of the given kind, run on a decoded or about-to-be-encoded value that has
 * already passed its type check; arrays and sets are checked on their JSON array or collection.
 */
export function constraintCheck(kind: string, constraints: Constraints): (value: unknown) => void {
  const { min, max, minLength, maxLength, pattern, minItems, maxItems } = constraints;
  switch (kind) {
    case 'string':
      return (value) => {
        const text = value as string;
        if (minLength !== undefined || maxLength !== undefined) {
          const length = codePointLength(text);
          if (minLength !== undefined && length < minLength) refuse(`a string of at least ${plural(minLength, 'character')}`, value);
          if (maxLength !== undefined && length > maxLength) refuse(`a string of at most ${plural(maxLength, 'character')}`, value);
        }
        if (pattern !== undefined && !(pattern as RegExp).test(text)) refuse(`a string matching /${(pattern as RegExp).source}/`, value);
      };
    case 'number':
    case 'int':
      return (value) => {
        if (min !== undefined && (value as number) < min) refuse(`a number ≥ ${min}`, value);
        if (max !== undefined && (value as number) > max) refuse(`a number ≤ ${max}`, value);
      };
    default:
      return (value) => {
        const count = value instanceof Set ? value.size : Array.isArray(value) ? value.length : undefined;
        if (count === undefined) return; // not a collection: the type check reports it
        if (minItems !== undefined && count < minItems) refuse(`at least ${plural(minItems, 'item')}`, value, String(count));
        if (maxItems !== undefined && count > maxItems) refuse(`at most ${plural(maxItems, 'item')}`, value, String(count));
      };
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}
