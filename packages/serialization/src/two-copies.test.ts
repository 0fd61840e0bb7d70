/**
 * Two copies of this package in one program (two versions in node_modules, or one bundled twice):
 * what one copy's descriptors and @field declarations say, the other copy reads.
 */
import { describe, expect, it, vi } from 'vitest';
import { Int, optional } from './descriptor.js';
import { field } from './field.js';

type Copy = typeof import('./internal.js');

async function secondCopy(): Promise<Copy> {
  vi.resetModules();
  return import('./internal.js');
}

class Standard {
  @field(String) name!: string;
  @field(optional(Int)) count?: number;
}

class Legacy {
  name!: string;
}
// As an experimentalDecorators build calls it.
(field(String) as (target: object, property: string) => void)(Legacy.prototype, 'name');

describe('a second copy of @marshal/serialization', () => {
  it('is a second copy', async () => {
    const other = await secondCopy();
    expect(other.field).not.toBe(field);
  });

  it("takes this copy's descriptors as descriptors", async () => {
    const other = await secondCopy();
    expect(other.isDescriptor(optional(Int))).toBe(true);
    expect(other.codecFor(optional(Int)).decode(null)).toBeUndefined();
    expect(() => other.codecFor(optional(Int)).decode('x')).toThrow('expected an integer, got "x"');
  });

  it("reads this copy's @field declarations, in both decorator modes", async () => {
    const other = await secondCopy();
    expect(other.declaredFields(Standard).map((spec) => spec.property)).toEqual(['name', 'count']);
    expect(other.declaredFields(Legacy).map((spec) => spec.property)).toEqual(['name']);
    expect(other.codecFor(Standard).decode({ name: 'a', count: 2 })).toEqual(Object.assign(new Standard(), { name: 'a', count: 2 }));
  });
});
