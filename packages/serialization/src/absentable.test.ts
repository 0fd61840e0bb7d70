import { describe, expect, it } from 'vitest';
import { type Descriptor, Int, Void, nullable, optional } from './descriptor.js';
import { toTypeNode } from './type-node.js';
import { isAbsentable, mayBeLeftOut, unwrapAbsentable } from './absentable.js';

describe('optional(…) and nullable(…), as descriptors and as TypeNodes', () => {
  it.each<[string, Descriptor, boolean]>([
    ['optional(Int)', optional(Int), true],
    ['nullable(String)', nullable(String), true],
    ['Int', Int, false],
    ['String', String, false],
    ['[optional(Int)]', [optional(Int)], false],
    ['Void', Void, false],
  ])('%s is absentable: %s', (_, descriptor, absentable) => {
    expect(isAbsentable(descriptor)).toBe(absentable);
    expect(isAbsentable(toTypeNode(descriptor))).toBe(absentable);
  });

  it('unwraps one level, and leaves anything else as it is', () => {
    expect(unwrapAbsentable(optional(Int))).toBe(Int);
    expect(unwrapAbsentable(toTypeNode(nullable(Boolean)))).toBe(toTypeNode(Boolean));
    expect(unwrapAbsentable(String)).toBe(String);
    const array = toTypeNode([Int]);
    expect(unwrapAbsentable(array)).toBe(array);
  });

  it('reads a descriptor without calling its class thunk, which may not be declared yet', () => {
    const thunk = () => {
      throw new Error('called');
    };
    expect(isAbsentable(optional(thunk))).toBe(true);
    expect(unwrapAbsentable(optional(thunk))).toBe(thunk);
    expect(isAbsentable(thunk)).toBe(false);
  });

  it('lets a value be left out for optional(…), nullable(…) and Void', () => {
    expect([optional(Int), nullable(Int), Void, Int].map((d) => mayBeLeftOut(toTypeNode(d)))).toEqual([true, true, true, false]);
  });
});
