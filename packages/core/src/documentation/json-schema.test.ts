import { describe, expect, it } from 'vitest';
import 'reflect-metadata';
import { Expose, Type } from 'class-transformer';
import '@marshal/serialization/class-transformer';
import {
  type Descriptor,
  Bytes,
  Int,
  Json,
  JsonObject,
  Void,
  arrayOf,
  enumOf,
  field,
  nullable,
  optional,
  recordOf,
  stream,
  toTypeNode,
} from '@marshal/serialization/internal';
import { jsonSchemaOf } from './json-schema.js';
import { SchemaDefinitions, standalone } from './schema-definitions.js';

enum Color { RED = 'red', GREEN = 'green' }
enum Level { LOW = 1, HIGH = 2 }

class Point {
  @field(Number) x!: number;
  @field(optional(Number)) y?: number;
  @field(nullable(String)) label!: string | null;
}

class Token {
  @field(String) text!: string;
  @field([() => Token]) alternatives!: Token[];
  @field(optional(() => Token)) next?: Token;
}

// class-transformer's decorators only work as experimentalDecorators (vitest compiles TC39 ones), so they are applied by hand.
class Tag {
  name!: string;
}
Expose()(Tag.prototype, 'name');
class Post {
  tags!: Tag[];
}
Type(() => Tag)(Post.prototype, 'tags');

/** The schema of a descriptor as a document of its own, with the $defs it needs. */
const schemaOf = (descriptor: Descriptor) => standalone((definitions) => jsonSchemaOf(toTypeNode(descriptor), definitions));

const bytes = {
  type: 'object',
  properties: { '@type': { const: 'bytes' }, value: { type: 'string', contentEncoding: 'base64' } },
  required: ['@type', 'value'],
};

describe('jsonSchemaOf', () => {
  it.each([
    ['String', String, { type: 'string' }],
    ['Number', Number, { type: 'number' }],
    ['Int', Int, { type: 'integer' }],
    ['Boolean', Boolean, { type: 'boolean' }],
    ['Date', Date, { type: 'string', format: 'date-time' }],
    ['Bytes', Bytes, bytes],
    ['Json', Json, {}],
    ['JsonObject', JsonObject, { type: 'object' }],
    ['Void', Void, { type: 'null' }],
    ['enumOf(Color): names, as they travel', enumOf(Color), { enum: ['RED', 'GREEN'] }],
    ['enumOf(Color, byValue)', enumOf(Color, { byValue: true, name: 'Color' }), { title: 'Color', enum: ['red', 'green'] }],
    ['a numeric enum by value', enumOf(Level, { byValue: true }), { enum: [1, 2] }],
    ['[String]', [String], { type: 'array', items: { type: 'string' } }],
    ['arrayOf(Bytes)', arrayOf(Bytes), { type: 'array', items: bytes }],
    ['recordOf(Int)', recordOf(Int), { type: 'object', additionalProperties: { type: 'integer' } }],
    ['optional(Date)', optional(Date), { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] }],
    ['nullable([Int])', nullable([Int]), { anyOf: [{ type: 'array', items: { type: 'integer' } }, { type: 'null' }] }],
    ['stream(String): each item', stream(String), { type: 'string' }],
  ] as const)('%s', (_, descriptor, expected) => {
    expect(schemaOf(descriptor)).toEqual(expected);
  });

  it('refers to a DTO class by name and defines its fields, the non-optional ones required', () => {
    expect(schemaOf([Point])).toEqual({
      type: 'array',
      items: { $ref: '#/$defs/Point' },
      $defs: {
        Point: {
          type: 'object',
          properties: {
            x: { type: 'number' },
            y: { anyOf: [{ type: 'number' }, { type: 'null' }] },
            label: { anyOf: [{ type: 'string' }, { type: 'null' }] },
          },
          required: ['x'],
        },
      },
    });
  });

  it('requires no field that the class initialises, and states a fixed initial value as the default', () => {
    class Job {
      @field(String) id!: string;
      @field(enumOf(Color, { byValue: true })) color = Color.GREEN;
      @field([String]) tags: string[] = [];
      @field(Date) created = new Date(); // differs per construction: no default to state
    }
    expect(schemaOf(Job).$defs).toEqual({
      Job: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          color: { enum: ['red', 'green'], default: 'green' },
          tags: { type: 'array', items: { type: 'string' }, default: [] },
          created: { type: 'string', format: 'date-time' },
        },
        required: ['id'],
      },
    });
  });

  it('defines a class that refers to itself once, through its own $ref', () => {
    expect(schemaOf(Token)).toEqual({
      $ref: '#/$defs/Token',
      $defs: {
        Token: {
          type: 'object',
          properties: {
            text: { type: 'string' },
            alternatives: { type: 'array', items: { $ref: '#/$defs/Token' } },
            next: { anyOf: [{ $ref: '#/$defs/Token' }, { type: 'null' }] },
          },
          required: ['text', 'alternatives'],
        },
      },
    });
  });

  it('leaves a class-transformer DTO open, and takes a @Type property as one value or an array of them', () => {
    const tag = { $ref: '#/$defs/Tag' };
    expect(schemaOf(Post)).toEqual({
      $ref: '#/$defs/Post',
      $defs: {
        Post: { type: 'object', properties: { tags: { anyOf: [tag, { type: 'array', items: tag }] } }, required: ['tags'], additionalProperties: true },
        Tag: { type: 'object', properties: {}, required: [], additionalProperties: true },
      },
    });
  });

  it('gives a second class of the same name a name of its own', () => {
    // Two classes called Item, as two modules may each declare one.
    const makeItem = () => {
      class Item {
        @field(String) id!: string;
      }
      return Item;
    };
    const [first, second] = [makeItem(), makeItem()];
    const definitions = new SchemaDefinitions('#/components/schemas/');
    expect(jsonSchemaOf(toTypeNode([first]), definitions)).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Item' } });
    expect(jsonSchemaOf(toTypeNode(second), definitions)).toEqual({ $ref: '#/components/schemas/Item_2' });
    expect(jsonSchemaOf(toTypeNode(first), definitions)).toEqual({ $ref: '#/components/schemas/Item' });
    const item = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
    expect(definitions.schemas).toEqual({ Item: item, Item_2: item });
  });
});
