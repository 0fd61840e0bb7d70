import { isStandardDecoratorCall } from './metadata.js';
import { registerClass } from './registry.js';
import { classChain } from './prototype-chain.js';

export type FieldNaming = 'camelCase' | 'snake_case' | ((property: string) => string);

export interface DtoOptions {
  /** The class's name in `@subtype` tags and in schemas (default: the class name). */
  readonly name?: string;
  /** Wire names for fields that give none: camelCase for snake_case code, or the reverse. */
  readonly fieldNames?: FieldNaming;
}

const namings = new WeakMap<Function, (property: string) => string>();

const camelCase = (property: string) => property.replace(/_+([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
const snakeCase = (property: string) => property.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

type ClassDecorator = (value: Function, context?: ClassDecoratorContext) => void;

/**
 * Registers a DTO class, so it may travel as a subclass in a base-class slot (with `@type` and
 * `@subtype` tags), and sets how its fields are named on the wire:
 *
 *   @dto({ name: 'Circle' }) class Circle extends Shape { … }
 *   @dto({ fieldNames: 'camelCase' }) class ThreadInfo { @field(Int) message_count = 0; }   // "messageCount"
 */
export function dto(options: DtoOptions = {}): ClassDecorator {
  const naming = options.fieldNames === 'camelCase' ? camelCase : options.fieldNames === 'snake_case' ? snakeCase : options.fieldNames;
  return (...args: unknown[]) => {
    const type = args[0];
    if (typeof type !== 'function' || (isStandardDecoratorCall(args) && (args[1] as DecoratorContext).kind !== 'class')) {
      throw new TypeError('@dto goes on a class');
    }
    registerClass(type, options.name ?? type.name);
    if (naming) namings.set(type, naming);
  };
}

/** The field naming of the nearest class in the chain that set one, if any. */
export function fieldNamingOf(type: Function): ((property: string) => string) | undefined {
  for (const current of classChain(type)) {
    const naming = namings.get(current);
    if (naming) return naming;
  }
  return undefined;
}
