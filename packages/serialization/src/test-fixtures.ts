/**
 * Fixtures shared by the serializer's test files (excluded from the package build): the
 * reference's Shape/Circle/Canvas example, a subclass with a polymorphic field, and helpers.
 * Each test file gets its own module instance, so each has its own registry.
 */
import { expect, it } from 'vitest';
import type { Descriptor } from './descriptor.js';
import { field } from './field.js';
import { codecFor } from './codec.js';
import { dto } from './dto.js';
import { SerializationError } from './serialization-error.js';
import type { DecodeLimits } from './decode-limits.js';

/** The reference's enum (member names travel, not values), and a numeric one. */
export enum Color {
  RED = 'red',
  GREEN = 'green',
}
export enum Level {
  LOW = 1,
  HIGH = 2,
}

export class Shape {
  @field(String) color!: string;
}

/** Registered under the name the reference's Python side writes: TypeTools.type_to_full_name(Circle) run as a script. */
@dto({ name: '__main__.Circle' })
export class Circle extends Shape {
  @field(Number) radius!: number;
}

export class Canvas {
  @field(String) title!: string;
  @field(Shape) background!: Shape;
}

/** A subclass whose own field is polymorphic too. */
@dto()
export class Group extends Shape {
  @field([Shape]) members!: Shape[];
}

export function make<T extends object>(type: new () => T, values: Partial<T>): T {
  return Object.assign(new type(), values);
}

/** A row of a both-ways table: what it is, its descriptor, a value and that value's JSON form. */
export type BothWays = [name: string, descriptor: Descriptor, value: unknown, json: unknown];

/** Each value encodes to its JSON form and decodes back to an equal value (toStrictEqual: of the same classes too). */
export function itEncodesAndDecodes(fixtures: readonly BothWays[]): void {
  it.each(fixtures)('encodes %s', (_, descriptor, value, json) => {
    expect(codecFor(descriptor).encode(value)).toStrictEqual(json);
  });
  it.each(fixtures)('decodes %s', (_, descriptor, value, json) => {
    expect(codecFor(descriptor).decode(json)).toStrictEqual(value);
  });
}

/** The SerializationError that `run` throws (failing the test if it throws something else or nothing). */
export function errorOf(run: () => unknown): SerializationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SerializationError);
    return error as SerializationError;
  }
  throw new Error('no error was thrown');
}

/** The message of the TypeError that `run` throws. */
export function typeErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as TypeError).message;
  }
  throw new Error('no error was thrown');
}

export const limits = (maxDepth: number, maxItems: number, maxIssues = 100): DecodeLimits => ({ maxDepth, maxItems, maxIssues });

/** `levels` applications of `wrap` around `leaf`, built with a loop so that any depth can be made. */
export function nest(levels: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = wrap(value);
  return value;
}
