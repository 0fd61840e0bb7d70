/**
 * Inheritance, walked in one place. Nearest first; a caller that wants base classes first reverses.
 * The built-in roots (Function.prototype for classes, Object.prototype for other objects) are left out.
 */

/** `type` and the classes it extends, nearest first: [Child, Parent, Grandparent]. */
export function classChain(type: Function): Function[] {
  return chainUpTo(type, Function.prototype) as Function[];
}

/** `object` and the objects it inherits from, nearest first: [Child.prototype, Parent.prototype] for Child.prototype. */
export function prototypeChain(object: object): object[] {
  return chainUpTo(object, Object.prototype);
}

function chainUpTo(start: object, root: object): object[] {
  const chain: object[] = [];
  for (let current: object | null | undefined = start; current !== null && current !== undefined && current !== root; current = Object.getPrototypeOf(current)) {
    chain.push(current);
  }
  return chain;
}
