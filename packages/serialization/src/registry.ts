import { describeValue } from './descriptor.js';

/**
 * The allowlist of classes a `@subtype` tag may name. Nothing outside it is ever constructed
 * from the wire: no global lookup, no module paths, no evaluation.
 */
const classByName = new Map<string, Function>();
const nameByClass = new WeakMap<Function, string>();

/** Registers a class under a wire name (its class name by default); a name names one class only. */
export function registerClass(type: Function, name: string = type.name): void {
  if (typeof type !== 'function' || type.prototype === undefined) throw new TypeError(`registerClass(…) takes a class, got ${describeValue(type)}`);
  if (typeof name !== 'string' || name === '') throw new TypeError(`${type.name}: a registered class needs a non-empty name`);
  const holder = classByName.get(name);
  if (holder && holder !== type) {
    throw new TypeError(`the type name ${JSON.stringify(name)} is already registered for another class; give one of them @dto({ name })`);
  }
  const previous = nameByClass.get(type);
  if (previous && previous !== name) classByName.delete(previous);
  classByName.set(name, type);
  nameByClass.set(type, name);
}

/** The wire name of a registered class, or undefined. */
export function registeredName(type: Function): string | undefined {
  return nameByClass.get(type);
}

/** The class registered under a wire name, or undefined. */
export function registeredClass(name: string): Function | undefined {
  return classByName.get(name);
}

/** The registered classes that extend `base` (not `base` itself), with their wire names. */
export function registeredSubclassesOf(base: Function): [name: string, type: Function][] {
  return [...classByName].filter(([, type]) => type.prototype instanceof base);
}
