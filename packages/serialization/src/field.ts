import { type Descriptor, type Infer, isDescriptor, describeValue } from './descriptor.js';
import { isStandardDecoratorCall, ownMetadata, type DecoratorMetadata } from './metadata.js';
import { classChain } from './prototype-chain.js';

export interface FieldSpec {
  /** The property name in code. */
  readonly property: string;
  readonly descriptor: Descriptor;
  /** The key on the wire, when it is not the property name. */
  readonly name?: string;
}

export interface FieldOptions {
  /** The key on the wire (written on output; both it and the property name are read on input). */
  readonly name?: string;
}

/**
 * Where @field records a class's own fields: under TC39 decorators in the class's decorator
 * metadata, under experimentalDecorators on the class itself (a non-enumerable property).
 * Registered symbols, so that another copy of this package reads what this one recorded.
 */
const fieldsKey = Symbol.for('marshal.fields');
const legacyFieldsKey = Symbol.for('marshal.legacyFields');

type StandardFieldDecorator<T> = (value: undefined, context: ClassFieldDecoratorContext<unknown, T>) => void;
type LegacyFieldDecorator = (target: object, property: string) => void;

/**
 * Declares a DTO field's type: `@field(String) name!: string`, `@field([Item]) items!: Item[]`,
 * `@field(optional(Date)) due?: Date`, `@field(String, { name: 'threadId' }) thread_id!: string`.
 * Under TC39 decorators the compiler checks the descriptor
 * against the field's declared type.
 */
export function field<const D extends Descriptor>(descriptor: D, options: FieldOptions = {}): StandardFieldDecorator<Infer<D>> & LegacyFieldDecorator {
  if (!isDescriptor(descriptor)) {
    throw new TypeError(`@field(…) needs a type descriptor, got ${describeValue(descriptor)}`);
  }
  const { name } = options;
  return function fieldDecorator(...args: unknown[]): void {
    if (isStandardDecoratorCall(args)) {
      const context = args[1] as ClassFieldDecoratorContext;
      if (context.static || context.private || typeof context.name !== 'string') {
        throw new TypeError(`@field can only mark public instance fields with string names, not ${String(context.name)}`);
      }
      if (!context.metadata) {
        throw new TypeError('@field: this compiler gives decorators no metadata object (Symbol.metadata); update it or use experimentalDecorators');
      }
      ownFieldList(context.metadata as DecoratorMetadata).push({ property: context.name, descriptor, name });
      return;
    }
    const [prototype, property] = args as [object, string];
    ownLegacyFieldList((prototype as { constructor: Function }).constructor).push({ property, descriptor, name });
  } as StandardFieldDecorator<Infer<D>> & LegacyFieldDecorator;
}

function ownFieldList(metadata: DecoratorMetadata): FieldSpec[] {
  if (!Object.hasOwn(metadata, fieldsKey)) metadata[fieldsKey] = [];
  return metadata[fieldsKey] as FieldSpec[];
}

function ownLegacyFieldList(type: Function): FieldSpec[] {
  if (!Object.hasOwn(type, legacyFieldsKey)) Object.defineProperty(type, legacyFieldsKey, { value: [], configurable: true });
  return (type as unknown as Record<symbol, FieldSpec[]>)[legacyFieldsKey];
}

/** The @field declarations of this class and its ancestors, parents' fields first; a child's redeclaration wins. */
export function declaredFields(type: Function): FieldSpec[] {
  const byProperty = new Map<string, FieldSpec>();
  for (const current of classChain(type).reverse()) {
    const metadata = ownMetadata(current);
    const standard = metadata && Object.hasOwn(metadata, fieldsKey) ? (metadata[fieldsKey] as FieldSpec[]) : [];
    const legacy = Object.hasOwn(current, legacyFieldsKey) ? (current as unknown as Record<symbol, FieldSpec[]>)[legacyFieldsKey] : [];
    for (const spec of [...standard, ...legacy]) byProperty.set(spec.property, spec);
  }
  return [...byProperty.values()];
}
