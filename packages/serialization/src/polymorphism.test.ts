/**
 * Subclasses in base-class slots wherever a slot can be: in arrays, records, maps, optional
 * values, several levels down a class hierarchy, and inside a subclass's own polymorphic field.
 * Also the registry that names them: @dto({ name }), and names that clash.
 */
import { describe, expect, it } from 'vitest';
import { type Descriptor, mapOf, optional, recordOf } from './descriptor.js';
import { field } from './field.js';
import { dto } from './dto.js';
import { codecFor } from './codec.js';
import { registerClass, registeredClass, registeredName, registeredSubclassesOf } from './registry.js';
import { type BothWays, Circle, Group, Shape, errorOf, itEncodesAndDecodes, make, typeErrorOf } from './test-fixtures.js';

@dto()
class Square extends Shape {
  @field(Number) side!: number;
}

/** A subclass of a subclass, registered under a name of its own. */
@dto({ name: 'shapes.Ring' })
class Ring extends Circle {
  @field(Number) inner!: number;
}

/** Not registered: it may not travel in a Shape slot. */
class Triangle extends Shape {
  @field(Number) base!: number;
}

/** Not registered either, although its parent is. */
class Oval extends Circle {}

const tags = (subtype: string) => ({ '@type': 'dataclass', '@subtype': subtype });

const shape = make(Shape, { color: 'grey' });
const circle = make(Circle, { color: 'red', radius: 5 });
const square = make(Square, { color: 'blue', side: 2 });
const ring = make(Ring, { color: 'gold', radius: 3, inner: 1 });
const group = make(Group, { color: 'none', members: [circle, make(Group, { color: 'inner', members: [square, shape] })] });

const shapeJson = { color: 'grey' };
const circleJson = { color: 'red', radius: 5, ...tags('__main__.Circle') };
const squareJson = { color: 'blue', side: 2, ...tags('Square') };
const ringJson = { color: 'gold', radius: 3, inner: 1, ...tags('shapes.Ring') };
const groupJson = {
  color: 'none',
  members: [circleJson, { color: 'inner', members: [squareJson, shapeJson], ...tags('Group') }],
  ...tags('Group'),
};

const fixtures: BothWays[] = [
  ['[Shape] holding a Shape, a Circle and a Square', [Shape], [shape, circle, square], [shapeJson, circleJson, squareJson]],
  ['recordOf(Shape)', recordOf(Shape), { a: circle, b: shape }, { a: circleJson, b: shapeJson }],
  ['mapOf(String, Shape)', mapOf(String, Shape), new Map<string, Shape>([['sq', square], ['ring', ring]]), { sq: squareJson, ring: ringJson }],
  ['optional(Shape) holding a Ring', optional(Shape), ring, ringJson],
  ['optional(Shape) holding nothing', optional(Shape), undefined, undefined],
  ['a Ring (subclass of a subclass) in a Circle slot', Circle, ring, ringJson],
  ['a Group whose members are polymorphic, two levels deep', Shape, group, groupJson],
];

describe('subclasses in base-class slots, both ways', () => {
  // Decoding compares classes too, so every level must come back as its exact subclass.
  itEncodesAndDecodes(fixtures);

  it('writes no tags for the exact declared class, at any level of the hierarchy', () => {
    expect(codecFor(Ring).encode(ring)).toStrictEqual({ color: 'gold', radius: 3, inner: 1 });
    expect(codecFor([Circle]).encode([circle])).toStrictEqual([{ color: 'red', radius: 5 }]);
  });

  it('writes no tags for a plain object in a base-class slot', () => {
    expect(codecFor(Shape).encode({ color: 'x', radius: 9 })).toStrictEqual({ color: 'x' });
  });

  it('reads tags that name the declared class itself as that class', () => {
    expect(codecFor(Circle).decode({ color: 'red', radius: 5, ...tags('__main__.Circle') })).toStrictEqual(circle);
  });
});

describe('an unregistered subclass', () => {
  it.each<[string, Descriptor, unknown, string]>([
    ['in an array', [Shape], [circle, make(Triangle, { color: 'x', base: 1 })], '[1]: Triangle is a subclass of Shape but is not registered: mark it with @dto()'],
    ['whose parent is registered', mapOf(String, Shape), new Map([['o', make(Oval, { color: 'x', radius: 1 })]]), 'o: Oval is a subclass of Shape but is not registered: mark it with @dto()'],
    ['inside a Group member', Shape, make(Group, { color: 'g', members: [make(Oval, { color: 'x', radius: 1 })] }), 'members[0]: Oval is a subclass of Shape but is not registered: mark it with @dto()'],
  ])('is refused on encode, %s, rather than cut down to the base fields', (_, descriptor, value, message) => {
    expect(errorOf(() => codecFor(descriptor).encode(value)).message).toBe(message);
  });
});

describe('the registry', () => {
  it('names a class by @dto({ name }) or by its class name', () => {
    expect([registeredName(Ring), registeredName(Square), registeredName(Circle), registeredName(Triangle)]).toEqual(['shapes.Ring', 'Square', '__main__.Circle', undefined]);
    expect([registeredClass('shapes.Ring'), registeredClass('Ring')]).toEqual([Ring, undefined]);
  });

  it('reads a custom-named class only under its registered name', () => {
    expect(errorOf(() => codecFor(Shape).decode({ ...ringJson, '@subtype': 'Ring' })).message).toBe('unknown @subtype "Ring"');
  });

  it('lists the registered subclasses of a class', () => {
    const names = (base: Function) => registeredSubclassesOf(base).map(([name]) => name).sort();
    expect(names(Shape)).toEqual(['Group', 'Square', '__main__.Circle', 'shapes.Ring']);
    expect(names(Circle)).toEqual(['shapes.Ring']);
  });

  it('refuses a second class under a name already taken, whether given or the class name', () => {
    const message = (name: string) => `the type name ${JSON.stringify(name)} is already registered for another class; give one of them @dto({ name })`;
    expect(
      typeErrorOf(() => {
        @dto({ name: 'shapes.Ring' })
        class Impostor extends Shape {}
        return Impostor;
      }),
    ).toBe(message('shapes.Ring'));
    // Another module's class that happens to have the same class name.
    expect(
      typeErrorOf(() => {
        @dto()
        class Square extends Shape {}
        return Square;
      }),
    ).toBe(message('Square'));
    expect(registeredClass('shapes.Ring')).toBe(Ring);
    expect(registeredClass('Square')).toBe(Square);
  });

  it('lets a clashing class through under a name of its own', () => {
    @dto({ name: 'geometry.Square' })
    class OtherSquare extends Shape {}
    expect(registeredClass('geometry.Square')).toBe(OtherSquare);
  });

  it('moves a class re-registered under a new name, freeing the old one', () => {
    class Moved {}
    registerClass(Moved, 'old.Moved');
    registerClass(Moved, 'old.Moved');
    registerClass(Moved, 'new.Moved');
    expect([registeredClass('old.Moved'), registeredClass('new.Moved'), registeredName(Moved)]).toEqual([undefined, Moved, 'new.Moved']);
  });

  it('takes only classes, under non-empty names', () => {
    expect(typeErrorOf(() => registerClass((() => 1) as unknown as Function))).toBe('registerClass(…) takes a class, got a function');
    expect(typeErrorOf(() => registerClass(class Unnamed {}, ''))).toBe('Unnamed: a registered class needs a non-empty name');
  });
});
