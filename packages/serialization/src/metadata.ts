/**
 * TC39 decorators hand class and field decorators a shared `context.metadata` object only when
 * `Symbol.metadata` exists, and Node 20 does not define it yet. tsc checks `Symbol.metadata`,
 * while esbuild and SWC fall back to `Symbol.for('Symbol.metadata')`; defining it as that same
 * registered symbol makes all three compilers agree. This module must load before any contract
 * class is defined, which importing a decorator from Marshal guarantees.
 */
const symbolWithMetadata = Symbol as unknown as { metadata?: symbol };
symbolWithMetadata.metadata ??= Symbol.for('Symbol.metadata');

export const metadataKey: symbol = symbolWithMetadata.metadata;

export type DecoratorMetadata = Record<PropertyKey, unknown>;

/** The metadata object TC39 decorators filled in for this class itself (not its parents), if any. */
export function ownMetadata(target: Function): DecoratorMetadata | undefined {
  if (!Object.hasOwn(target, metadataKey)) return undefined;
  return (target as unknown as Record<symbol, DecoratorMetadata | undefined>)[metadataKey];
}

/** Whether a decorator call has the TC39 shape (value, context) rather than the legacy (target, key, descriptor). */
export function isStandardDecoratorCall(args: readonly unknown[]): args is [unknown, DecoratorContext] {
  const context = args[1];
  return args.length === 2 && typeof context === 'object' && context !== null && 'kind' in context;
}
