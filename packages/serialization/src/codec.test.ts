/**
 * The codecs on a table of fixtures, both directions: value → JSON-ready value → the same value.
 * Invalid input is in codec-invalid.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Bytes, Int, Json, JsonObject, Void, arrayOf, enumOf, nullable, optional, recordOf } from './descriptor.js';
import { field } from './field.js';
import { codecFor } from './codec.js';
import { type BothWays, Color, Level, itEncodesAndDecodes, make } from './test-fixtures.js';

enum Signed {
  BELOW = -1,
  ZERO = 0,
  HALF = 0.5,
}

export class Tag {
  @field(String) label!: string;
}
export class Item {
  @field(String) name!: string;
  @field(Date) when!: Date;
  @field(enumOf(Color)) color!: Color;
  // A thunk: Later is declared further down the file.
  @field(optional(() => Later)) later?: Later;
  @field(nullable([Tag])) tags!: Tag[] | null;
}
export class Later {
  @field(Int) step!: number;
}
export class Base {
  @field(String) id!: string;
}
export class Derived extends Base {
  @field(Date) at!: Date;
}
export class TreeNode {
  @field(String) name!: string;
  @field([() => TreeNode]) children!: TreeNode[];
}

const when = new Date('2024-01-02T03:04:05.678Z');
const isoWhen = '2024-01-02T03:04:05.678Z';

const fixtures: BothWays[] = [
  ['a string', String, 'héllo "x"', 'héllo "x"'],
  ['a number', Number, -3.25, -3.25],
  ['an Int', Int, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ['a boolean', Boolean, false, false],
  ['a Date', Date, when, isoWhen],
  ['bytes', Bytes, new Uint8Array([0, 1, 2, 3]), { '@type': 'bytes', value: 'AAECAw==' }],
  ['empty bytes', Bytes, new Uint8Array(0), { '@type': 'bytes', value: '' }],
  ['a string enum member, by name', enumOf(Color), Color.GREEN, 'GREEN'],
  ['a numeric enum member, by name', enumOf(Level), Level.HIGH, 'HIGH'],
  ['a negative enum member, by name', enumOf(Signed), Signed.BELOW, 'BELOW'],
  ['a fractional enum member, by name', enumOf(Signed), Signed.HALF, 'HALF'],
  ['an array', [Int], [1, 2, 3], [1, 2, 3]],
  ['an arrayOf(Date)', arrayOf(Date), [when], [isoWhen]],
  ['an array of arrays', [[String]], [['a'], [], ['b', 'c']], [['a'], [], ['b', 'c']]],
  ['a record', recordOf(Int), { a: 1, 'with space': 2 }, { a: 1, 'with space': 2 }],
  ['a record of Date arrays', recordOf([Date]), { x: [when] }, { x: [isoWhen] }],
  ['Json', Json, { a: [1, 'x', null, { b: true }] }, { a: [1, 'x', null, { b: true }] }],
  ['a [JsonObject]', [JsonObject], [{ a: 1 }, {}], [{ a: 1 }, {}]],
  ['an optional Int that is there', optional(Int), 5, 5],
  ['an absent optional Int', optional(Int), undefined, undefined],
  ['a nullable string that is null', nullable(String), null, null],
  ['a nullable Date', nullable(Date), when, isoWhen],
  ['Void', Void, undefined, undefined],
  [
    'a DTO with a Date, an enum, a nested DTO by thunk and a nullable array of DTOs',
    Item,
    make(Item, { name: 'n', when, color: Color.RED, later: make(Later, { step: 2 }), tags: [make(Tag, { label: 't' })] }),
    { name: 'n', when: isoWhen, color: 'RED', later: { step: 2 }, tags: [{ label: 't' }] },
  ],
  [
    'a DTO whose optional field is absent and nullable field is null',
    Item,
    make(Item, { name: 'n', when, color: Color.GREEN, tags: null }),
    { name: 'n', when: isoWhen, color: 'GREEN', tags: null },
  ],
  ['a DTO with inherited fields', Derived, make(Derived, { id: 'd', at: when }), { id: 'd', at: isoWhen }],
  [
    'a self-referencing DTO',
    [TreeNode],
    [make(TreeNode, { name: 'root', children: [make(TreeNode, { name: 'leaf', children: [] })] })],
    [{ name: 'root', children: [{ name: 'leaf', children: [] }] }],
  ],
];

describe('codecFor: fixtures both ways', () => {
  itEncodesAndDecodes(fixtures);

  it('decodes DTOs as instances of their classes, nested ones too', () => {
    const item = codecFor(Item).decode({ name: 'n', when: isoWhen, color: 'RED', later: { step: 1 }, tags: [{ label: 'x' }] });
    expect([item instanceof Item, item.later instanceof Later, item.tags?.[0] instanceof Tag, item.when instanceof Date]).toEqual([true, true, true, true]);
    expect(codecFor(Derived).decode({ id: 'x', at: isoWhen })).toBeInstanceOf(Base);
  });

  it('encodes plain objects shaped like a DTO, dropping undeclared properties', () => {
    expect(codecFor(Tag).encode({ label: 'x', secret: 'not sent' })).toEqual({ label: 'x' });
  });

  it('encodes a Buffer as bytes', () => {
    expect(codecFor(Bytes).encode(Buffer.from([0, 1, 2, 3]))).toEqual({ '@type': 'bytes', value: 'AAECAw==' });
  });

  it('decodes optional(D) null as undefined and nullable(D) absent as null', () => {
    expect(codecFor(optional(Int)).decode(null)).toBeUndefined();
    expect(codecFor(nullable(Int)).decode(undefined)).toBeNull();
    expect(codecFor(optional(Int)).encode(null)).toBeUndefined();
  });
});

describe('dates as other senders write them', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  it.each([
    ['UTC with Z', '2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z'],
    ['naive (Python isoformat), read as UTC', '2024-01-02T03:04:05', '2024-01-02T03:04:05.000Z'],
    ['naive with microseconds', '2024-01-02T03:04:05.123456', '2024-01-02T03:04:05.123Z'],
    ['microseconds and an offset', '2024-01-02T03:04:05.123456+00:00', '2024-01-02T03:04:05.123Z'],
    ['a positive offset', '2024-01-02T03:04:05+02:00', '2024-01-02T01:04:05.000Z'],
    ['a negative offset without a colon', '2024-01-02T03:04:05-0530', '2024-01-02T08:34:05.000Z'],
    ['a space instead of T', '2024-01-02 03:04:05', '2024-01-02T03:04:05.000Z'],
    ['no seconds', '2024-01-02T03:04', '2024-01-02T03:04:00.000Z'],
    ['a tenth of a second', '2024-01-02T03:04:05.1Z', '2024-01-02T03:04:05.100Z'],
    ['a date only', '2024-01-02', '2024-01-02T00:00:00.000Z'],
    ['lower-case t and z', '2024-01-02t03:04:05z', '2024-01-02T03:04:05.000Z'],
    ['naive with a lower-case t', '2024-01-02t03:04:05', '2024-01-02T03:04:05.000Z'],
    ['the 29th of February of a leap year', '2024-02-29T12:00:00', '2024-02-29T12:00:00.000Z'],
  ])('decodes %s whatever the local time zone', (_, text, iso) => {
    for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
      process.env.TZ = tz;
      expect(codecFor(Date).decode(text).toISOString()).toBe(iso);
    }
  });
});
