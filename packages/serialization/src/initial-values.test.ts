/**
 * Fields with initialisers: left out of the JSON, they keep their initial value (as pydantic
 * fields with defaults do); without one, a non-optional field is still required.
 */
import { describe, expect, it } from 'vitest';
import { Int, nullable, optional } from './descriptor.js';
import { field } from './field.js';
import { codecFor } from './codec.js';
import { initialValues } from './initial-values.js';
import { errorOf } from './test-fixtures.js';

class Task {
  @field(String) title!: string;
  @field(Int) priority = 3;
  @field([String]) labels: string[] = [];
  @field(Date) created = new Date();
  @field(optional(String)) note?: string = 'none';
  @field(nullable(String)) owner: string | null = 'me';
}

class NeedsArguments {
  @field(String) name: string;
  constructor(name: string) {
    if (typeof name !== 'string') throw new TypeError('a name is required');
    this.name = name;
  }
}

describe('decoding a DTO whose fields have initialisers', () => {
  const codec = codecFor(Task);

  it('keeps the initial values of the fields left out', () => {
    const task = codec.decode({ title: 'write docs' }) as Task;
    expect(task).toMatchObject({ title: 'write docs', priority: 3, labels: [], note: 'none' });
    expect(task.created).toBeInstanceOf(Date);
  });

  it('still sets an absent nullable field to null, as documented', () => {
    expect((codec.decode({ title: 't' }) as Task).owner).toBeNull();
  });

  it('takes the values that are sent', () => {
    expect(codec.decode({ title: 't', priority: 1, labels: ['x'] })).toMatchObject({ priority: 1, labels: ['x'] });
  });

  it('still requires a field without an initialiser', () => {
    expect(errorOf(() => codec.decode({ priority: 1 })).message).toBe('title: missing required field of Task');
  });

  it('still checks a value that is sent for an initialised field', () => {
    expect(errorOf(() => codec.decode({ title: 't', priority: 'high' })).message).toBe('priority: expected an integer, got "high"');
  });
});

describe('initialValues', () => {
  it('lists the initialised properties, and as fixed the ones that do not change between constructions', () => {
    const initial = initialValues(Task);
    expect([...initial.set].sort()).toEqual(['created', 'labels', 'note', 'owner', 'priority']);
    expect([...initial.fixed.keys()].sort()).toEqual(['labels', 'note', 'owner', 'priority']);
  });

  it('has none for a class that cannot be built without arguments', () => {
    expect(initialValues(NeedsArguments)).toEqual({ set: new Set(), fixed: new Map() });
  });
});
