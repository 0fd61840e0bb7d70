import { describe, expect, it } from 'vitest';
import { type Descriptor, Int, enumOf, nullable, optional } from './descriptor.js';
import { SerializationError } from './serialization-error.js';
import { textCodecFor } from './primitive-text.js';

/** The error of refuse(): `expected X, got Y`, with X and Y as its expected and received. */
function refusal(message: string): SerializationError {
  const [, expected, received] = /^expected (.*), got (.*)$/.exec(message) ?? [];
  return new SerializationError(message, [], { expected, received });
}

enum Color {
  RED = 'red',
  GREEN = 'green',
}
enum Level {
  LOW = 1,
  HIGH = 2,
}

const date = new Date('2024-01-02T03:04:05.678Z');

describe('textCodecFor: values ↔ their text in URLs and map keys', () => {
  it.each<[string, Descriptor, unknown, string]>([
    ['a string', String, 'a b/c?', 'a b/c?'],
    ['an empty string', String, '', ''],
    ['a number', Number, 3.5, '3.5'],
    ['a negative number', Number, -0.25, '-0.25'],
    ['a large number', Number, 1e21, '1e+21'],
    ['a tiny number', Number, 1e-7, '1e-7'],
    ['an Int', Int, 42, '42'],
    ['true', Boolean, true, 'True'],
    ['false', Boolean, false, 'False'],
    ['a Date', Date, date, '2024-01-02T03:04:05.678Z'],
    ['a string enum member, by name', enumOf(Color), Color.GREEN, 'GREEN'],
    ['a numeric enum member, by name', enumOf(Level), Level.HIGH, 'HIGH'],
    ['an optional Int', optional(Int), 7, '7'],
    ['a nullable Boolean', nullable(Boolean), true, 'True'],
  ])('formats and parses back %s', (_, descriptor, value, text) => {
    const codec = textCodecFor(descriptor);
    expect(codec.format(value)).toBe(text);
    expect(codec.parse(text)).toEqual(value);
  });

  it.each<[Descriptor, string, unknown]>([
    [Boolean, 'true', true],
    [Boolean, '1', true],
    [Boolean, 'false', false],
    [Boolean, '0', false],
    [Number, '3', 3],
    [Number, '+3', 3],
    [Number, '.5', 0.5],
    [Number, '1.', 1],
    [Number, '-1.5e3', -1500],
    [Int, '1e3', 1000],
    [Int, '-0', -0],
    [Date, '2024-01-02', new Date('2024-01-02T00:00:00Z')],
    [Date, '2024-01-02T03:04:05', new Date('2024-01-02T03:04:05Z')],
    [Date, '2024-01-02T03:04:05.123456+02:00', new Date('2024-01-02T01:04:05.123Z')],
  ])('reads %o text %s as %o', (descriptor, text, value) => {
    expect(textCodecFor(descriptor).parse(text)).toEqual(value);
  });

  it.each<[Descriptor, string, string]>([
    [Number, 'abc', 'expected a number, got "abc"'],
    [Number, '', 'expected a number, got ""'],
    [Number, ' 1', 'expected a number, got " 1"'],
    [Number, '0x1f', 'expected a number, got "0x1f"'],
    [Number, 'NaN', 'expected a number, got "NaN"'],
    [Number, 'Infinity', 'expected a number, got "Infinity"'],
    [Number, '1e999', 'expected a finite number, got Infinity'],
    [Int, '1.5', 'expected an integer, got 1.5'],
    [Int, '9007199254740993', 'expected an integer, got 9007199254740992'],
    [Int, 'ten', 'expected an integer, got "ten"'],
    [Boolean, 'maybe', 'expected True/true/1 or False/false/0, got "maybe"'],
    [Boolean, 'TRUE', 'expected True/true/1 or False/false/0, got "TRUE"'],
    [Date, 'yesterday', 'expected an ISO-8601 date string, got "yesterday"'],
    [Date, '2024-02-30', 'expected a valid date, got "2024-02-30"'],
    [Date, '2023-02-29T00:00:00Z', 'expected a valid date, got "2023-02-29T00:00:00Z"'],
    [enumOf(Color), 'PURPLE', 'expected one of "RED", "GREEN", got "PURPLE"'],
    [enumOf(Color), 'red', 'expected one of "RED", "GREEN", got "red"'],
    [enumOf(Level), '2', 'expected one of "LOW", "HIGH", got "2"'],
  ])('refuses to parse %o text %s', (descriptor, text, message) => {
    expect(() => textCodecFor(descriptor).parse(text)).toThrow(refusal(message));
  });

  it('accepts the 29th of February in a leap year only', () => {
    expect(textCodecFor(Date).parse('2024-02-29')).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(textCodecFor(Date).parse('2000-02-29')).toEqual(new Date('2000-02-29T00:00:00Z'));
    expect(() => textCodecFor(Date).parse('1900-02-29')).toThrow(SerializationError);
  });

  it.each<[Descriptor, unknown, string]>([
    [Number, NaN, 'expected a finite number, got NaN'],
    [Number, Infinity, 'expected a finite number, got Infinity'],
    [Number, '3', 'expected a finite number, got "3"'],
    [Int, 1.5, 'expected an integer, got 1.5'],
    [String, 3, 'expected a string, got 3'],
    [Boolean, 'yes', 'expected a boolean, got "yes"'],
    [Date, new Date('x'), 'expected a valid Date, got a Date'],
    [Date, '2024-01-02', 'expected a valid Date, got "2024-01-02"'],
    [enumOf(Color), 'RED', 'expected an enum member (one of "RED", "GREEN"), got "RED"'],
  ])('refuses to format %o value %o', (descriptor, value, message) => {
    expect(() => textCodecFor(descriptor).format(value)).toThrow(refusal(message));
  });

  it('refuses types without a text form', () => {
    expect(() => textCodecFor([String])).toThrow(new TypeError('no text form for array: only String, Number, Int, Boolean, Date and enums have one'));
    expect(() => textCodecFor(optional([Int]))).toThrow(TypeError);
  });
});
