/**
 * The JSON examples of the reference README (kaia-marshalling-readme.txt, "Serialization"), exactly
 * as written there, both ways. The Python types map to: int → Int, datetime → Date (a naive one is
 * read as UTC), pathlib.Path → String, bytes → Bytes, an Enum → enumOf(E) (by member name).
 */
import { describe, expect, it } from 'vitest';
import { Bytes, Int, enumOf } from './descriptor.js';
import { field } from './field.js';
import { codecFor } from './codec.js';
import { Canvas, Circle, Color, Shape, errorOf, make } from './test-fixtures.js';

class Point {
  @field(Int) x!: number;
  @field(Int) y!: number;
}

class Event {
  @field(enumOf(Color)) color!: Color;
  @field(Date) when!: Date;
  @field(String) log_path!: string;
}

class Blob {
  @field(String) name!: string;
  @field(Bytes) content!: Uint8Array;
}

describe('Dataclasses', () => {
  it("decodes {'x': 1, 'y': 2} as Point(x=1, y=2) and encodes it back", () => {
    const point = codecFor(Point).decode({ x: 1, y: 2 });
    expect(point).toStrictEqual(make(Point, { x: 1, y: 2 }));
    expect(codecFor(Point).encode(point)).toStrictEqual({ x: 1, y: 2 });
  });

  it('decodes list[Point] as a list of Points and encodes it back', () => {
    const json = [
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ];
    const points = codecFor([Point]).decode(json);
    expect(points).toStrictEqual([make(Point, { x: 1, y: 2 }), make(Point, { x: 3, y: 4 })]);
    expect(codecFor([Point]).encode(points)).toStrictEqual(json);
  });
});

describe('Additional primitives: Enum, datetime and Path as strings', () => {
  const json = { color: 'GREEN', when: '2025-01-15T12:00:00', log_path: '/var/log/app.log' };

  it('decodes the Event: the enum by its name, the naive datetime as UTC, the path as a string', () => {
    const event = codecFor(Event).decode(json);
    expect(event).toStrictEqual(make(Event, { color: Color.GREEN, when: new Date(Date.UTC(2025, 0, 15, 12)), log_path: '/var/log/app.log' }));
    expect(event.color).toBe('green');
  });

  it('encodes it back, the enum by name and the date with milliseconds and Z (the same instant)', () => {
    const event = make(Event, { color: Color.GREEN, when: new Date(Date.UTC(2025, 0, 15, 12)), log_path: '/var/log/app.log' });
    expect(codecFor(Event).encode(event)).toStrictEqual({ ...json, when: '2025-01-15T12:00:00.000Z' });
  });

  it('refuses the member value "green", as the reference does', () => {
    expect(errorOf(() => codecFor(Event).decode({ ...json, color: 'green' })).message).toBe('color: expected one of "RED", "GREEN", got "green"');
  });
});

describe('Bytes: a tagged object with standard base64', () => {
  const json = { name: 'file.bin', content: { '@type': 'bytes', value: 'AAECAw==' } };

  it("decodes the Blob's content as the bytes 00 01 02 03", () => {
    const blob = codecFor(Blob).decode(json);
    expect(blob).toBeInstanceOf(Blob);
    expect(blob.name).toBe('file.bin');
    expect(blob.content).toBeInstanceOf(Uint8Array);
    expect([...blob.content]).toEqual([0, 1, 2, 3]);
  });

  it('encodes it back', () => {
    expect(codecFor(Blob).encode(make(Blob, { name: 'file.bin', content: new Uint8Array([0, 1, 2, 3]) }))).toStrictEqual(json);
  });
});

describe('Polymorphism: a subclass in a base-class slot carries @type and @subtype', () => {
  const circleJson = { '@type': 'dataclass', '@subtype': '__main__.Circle', color: 'red', radius: 5.0 };
  const canvasJson = { title: 'art', background: circleJson };

  it('reconstructs the background as the exact subclass, whose type name is Circle', () => {
    const canvas = codecFor(Canvas).decode(canvasJson);
    expect(canvas).toBeInstanceOf(Canvas);
    expect(canvas.background).toBeInstanceOf(Circle);
    expect(canvas.background.constructor.name).toBe('Circle');
    expect(canvas.background).toStrictEqual(make(Circle, { color: 'red', radius: 5 }));
  });

  it('writes exactly those tags, after the fields, for a Circle in the Shape slot', () => {
    const canvas = make(Canvas, { title: 'art', background: make(Circle, { color: 'red', radius: 5 }) });
    const json = codecFor(Canvas).encode(canvas) as { background: Record<string, unknown> };
    expect(json).toStrictEqual(canvasJson);
    expect(Object.keys(json.background)).toEqual(['color', 'radius', '@type', '@subtype']);
    expect(JSON.stringify(json)).toBe('{"title":"art","background":{"color":"red","radius":5,"@type":"dataclass","@subtype":"__main__.Circle"}}');
  });

  it('writes no tags for an exact Shape, and reads an untagged object as a Shape', () => {
    const canvas = make(Canvas, { title: 'art', background: make(Shape, { color: 'red' }) });
    const json = { title: 'art', background: { color: 'red' } };
    expect(codecFor(Canvas).encode(canvas)).toStrictEqual(json);
    const decoded = codecFor(Canvas).decode(json);
    expect(decoded).toStrictEqual(canvas);
    expect(Object.getPrototypeOf(decoded.background)).toBe(Shape.prototype);
  });

  it('writes no tags for a Circle in a Circle slot', () => {
    expect(codecFor(Circle).encode(make(Circle, { color: 'red', radius: 5 }))).toStrictEqual({ color: 'red', radius: 5 });
  });
});
