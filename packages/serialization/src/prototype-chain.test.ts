import { describe, expect, it } from 'vitest';
import { classChain, prototypeChain } from './prototype-chain.js';

class Base {}
class Middle extends Base {}
class Leaf extends Middle {}

describe('inheritance chains, nearest first, without the built-in roots', () => {
  it('lists a class and the classes it extends', () => {
    expect(classChain(Leaf)).toEqual([Leaf, Middle, Base]);
    expect(classChain(Base)).toEqual([Base]);
  });

  it('lists an object and the objects it inherits from', () => {
    expect(prototypeChain(Leaf.prototype)).toEqual([Leaf.prototype, Middle.prototype, Base.prototype]);
    expect(prototypeChain(new Leaf()).slice(1)).toEqual([Leaf.prototype, Middle.prototype, Base.prototype]);
    expect(prototypeChain(Object.create(null))).toHaveLength(1);
  });
});
