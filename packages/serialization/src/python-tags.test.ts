/**
 * The reference's Python client tags values whose class the declared type already decides with
 * the Python path of their class (`"@type": "dataclass", "@subtype": "tracker.models.LogParam"`).
 * A tag that names the declared class that way is read as no tag at all; a tag that would decide
 * the class still has to name a registered subclass exactly.
 */
import { describe, expect, it } from 'vitest';
import { literal, taggedUnion, union } from './descriptor.js';
import { field } from './field.js';
import { dto } from './dto.js';
import { codecFor } from './codec.js';
import { errorOf, make } from './test-fixtures.js';

const tags = (subtype: string) => ({ '@type': 'dataclass', '@subtype': subtype });

@dto()
class LogMetric {
  @field(literal('log_metric')) type = 'log_metric' as const;
  @field(String) name!: string;
  @field(Number) value!: number;
}

@dto()
class LogParam {
  @field(literal('log_param')) type = 'log_param' as const;
  @field(String) name!: string;
  @field(String) value!: string;
}

/** Registered under a Python path of its own: its short name is that path's last segment. */
@dto({ name: 'geometry.shapes.Point' })
class Vertex {
  @field(Number) x!: number;
}

/** Not registered at all. */
class Reading {
  @field(Number) value!: number;
}

class Shape {
  @field(String) color!: string;
}
@dto()
class Circle extends Shape {
  @field(Number) radius!: number;
}

const Message = taggedUnion('type', [LogMetric, LogParam]);

describe('a Python class path that names the declared class', () => {
  it('in a list of a tagged union, as the Python client sends every member after the first', () => {
    const json = [
      { type: 'log_metric', name: 'loss', value: 0.5 },
      { type: 'log_param', name: 'lr', value: '0.1', ...tags('tracker.models.LogParam') },
      { type: 'log_metric', name: 'loss', value: 0.25, ...tags('__main__.LogMetric') },
    ];
    expect(codecFor([Message]).decode(json)).toStrictEqual([
      make(LogMetric, { name: 'loss', value: 0.5 }),
      make(LogParam, { name: 'lr', value: '0.1' }),
      make(LogMetric, { name: 'loss', value: 0.25 }),
    ]);
  });

  it('in a list of DTOs, registered or not, and in a nested class (Outer.Inner)', () => {
    expect(codecFor([Reading]).decode([{ value: 1 }, { value: 2, ...tags('sensors.Reading') }, { value: 3, ...tags('app.Outer.Reading') }])).toStrictEqual([
      make(Reading, { value: 1 }),
      make(Reading, { value: 2 }),
      make(Reading, { value: 3 }),
    ]);
    // By the last segment of its registered name, or by its class name.
    expect(codecFor(Vertex).decode({ x: 1, ...tags('__main__.Point') })).toStrictEqual(make(Vertex, { x: 1 }));
    expect(codecFor(Vertex).decode({ x: 1, ...tags('my_pkg.Vertex') })).toStrictEqual(make(Vertex, { x: 1 }));
  });

  it('in an untagged union of DTOs: each option is tried, and the one the tag names fits', () => {
    expect(codecFor([union(LogMetric, LogParam)]).decode([{ type: 'log_param', name: 'lr', value: '0.1', ...tags('tracker.LogParam') }])).toStrictEqual([
      make(LogParam, { name: 'lr', value: '0.1' }),
    ]);
  });
});

describe('a tag that would decide the class', () => {
  it('still has to name a registered class exactly: a Python path to a registered subclass is refused', () => {
    expect(codecFor(Shape).decode({ color: 'red', radius: 2, ...tags('Circle') })).toStrictEqual(make(Circle, { color: 'red', radius: 2 }));
    expect(errorOf(() => codecFor(Shape).decode({ color: 'red', radius: 2, ...tags('shapes.Circle') })).message).toBe('unknown @subtype "shapes.Circle"');
  });

  it('is refused when it names another class than the one the discriminator picked', () => {
    const error = errorOf(() => codecFor([Message]).decode([{ type: 'log_param', name: 'lr', value: '0.1', ...tags('tracker.LogMetric') }]));
    expect(error.message).toBe('[0]: unknown @subtype "tracker.LogMetric"');
    expect(errorOf(() => codecFor([Message]).decode([{ type: 'log_param', name: 'lr', value: '0.1', ...tags('LogMetric') }])).message).toBe(
      '[0]: @subtype "LogMetric" is not a subclass of LogParam',
    );
  });

  it('is refused without a dot, with an empty last segment, or with another @type', () => {
    expect(errorOf(() => codecFor(Reading).decode({ value: 1, ...tags('Reading') })).message).toBe('unknown @subtype "Reading"');
    expect(errorOf(() => codecFor(Reading).decode({ value: 1, ...tags('sensors.') })).message).toBe('unknown @subtype "sensors."');
    expect(errorOf(() => codecFor(Reading).decode({ value: 1, '@type': 'sqlalchemy', '@subtype': 'sensors.Reading' })).message).toBe(
      'unknown @type "sqlalchemy"; expected "dataclass"',
    );
  });

  it('is echoed at most 40 characters long', () => {
    const name = `${'m'.repeat(10_000)}.Other`;
    expect(errorOf(() => codecFor(Reading).decode({ value: 1, ...tags(name) })).message).toBe(`unknown @subtype "${'m'.repeat(40)}…"`);
  });
});
