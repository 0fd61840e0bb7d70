import {
  type ClassNode,
  type ClassType,
  type Constraints,
  type EnumNode,
  type TypeNode,
  type UnionNode,
  codecFor,
  constraintsOf,
  initialValues,
  mayBeLeftOut,
  registeredSubclassesOf,
  toTypeNode,
} from '@marshal/serialization/internal';
import type { JsonSchema, SchemaDefinitions } from './schema-definitions.js';

/**
 * The JSON Schema (draft 2020-12, as OpenAPI 3.1 uses it) of the JSON form the codecs write and
 * read for a type (docs/protocol.md, "JSON forms of values"). DTO classes become `$ref`s into
 * `definitions`, which collects their definitions.
 *
 * One case per TypeNode kind, each a small function: a kind added to TypeNode does not compile
 * here until it has a case.
 */
export function jsonSchemaOf(node: TypeNode, definitions: SchemaDefinitions): JsonSchema {
  const schema = schemaOfKind(node, definitions);
  const constraints = constraintsOf(node);
  return constraints === undefined ? schema : { ...schema, ...constraintKeywords(constraints) };
}

/** constrained(…)'s bounds are named after these keywords and mean the same. */
function constraintKeywords({ min, max, minLength, maxLength, pattern, minItems, maxItems }: Constraints): JsonSchema {
  const keywords: JsonSchema = { minimum: min, maximum: max, minLength, maxLength, pattern: (pattern as RegExp | undefined)?.source, minItems, maxItems };
  for (const key of Object.keys(keywords)) if (keywords[key] === undefined) delete keywords[key];
  return keywords;
}

function schemaOfKind(node: TypeNode, definitions: SchemaDefinitions): JsonSchema {
  switch (node.kind) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: 'number' };
    case 'int':
      return { type: 'integer' };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'string', format: 'date-time' };
    case 'bytes':
      return bytesSchema();
    case 'json':
      return {};
    case 'json-object':
      return { type: 'object' };
    case 'void':
      // A Void result is written as the body `null`.
      return { type: 'null' };
    case 'enum':
      return enumSchema(node);
    case 'optional':
    case 'nullable':
      return nullableSchema(node.item, definitions);
    case 'array':
      return { type: 'array', items: jsonSchemaOf(node.item, definitions) };
    case 'record':
      return { type: 'object', additionalProperties: jsonSchemaOf(node.item, definitions) };
    case 'set':
      return { type: 'array', items: jsonSchemaOf(node.item, definitions), uniqueItems: true };
    case 'tuple':
      return tupleSchema(node.items, definitions);
    case 'map':
      // Keys travel in their text form, so only the values have a schema of their own.
      return { type: 'object', additionalProperties: jsonSchemaOf(node.value, definitions) };
    case 'literal':
      return { const: node.value };
    case 'union':
      return unionSchema(node, definitions);
    case 'stream':
      return streamSchema(node.item, definitions);
    case 'class':
      return classSchema(node, definitions);
    default:
      return unknownKind(node);
  }
}

/** Nested bytes travel tagged: {"@type": "bytes", "value": "<standard base64>"}. */
function bytesSchema(): JsonSchema {
  return {
    type: 'object',
    properties: { '@type': { const: 'bytes' }, value: { type: 'string', contentEncoding: 'base64' } },
    required: ['@type', 'value'],
  };
}

/** The tokens that travel: member names by default, member values with byValue (the reference documents values but sends names). */
function enumSchema(node: EnumNode): JsonSchema {
  return node.name === undefined ? { enum: [...node.wireTokens] } : { title: node.name, enum: [...node.wireTokens] };
}

/** optional() and nullable() both accept null (and absence) when decoding, so both schemas allow null. */
function nullableSchema(item: TypeNode, definitions: SchemaDefinitions): JsonSchema {
  return { anyOf: [jsonSchemaOf(item, definitions), { type: 'null' }] };
}

/** A stream is not one JSON value: its schema is that of each item it delivers. */
function streamSchema(item: TypeNode, definitions: SchemaDefinitions): JsonSchema {
  return jsonSchemaOf(item, definitions);
}

function tupleSchema(items: readonly TypeNode[], definitions: SchemaDefinitions): JsonSchema {
  return { type: 'array', prefixItems: items.map((item) => jsonSchemaOf(item, definitions)), minItems: items.length, maxItems: items.length };
}

/** A tagged union names its key as OpenAPI's discriminator; an untagged one is tried in order, so anyOf. */
function unionSchema(node: UnionNode, definitions: SchemaDefinitions): JsonSchema {
  const options = node.options.map((option) => jsonSchemaOf(option, definitions));
  return node.discriminator === undefined ? { anyOf: options } : { oneOf: options, discriminator: { propertyName: node.discriminator } };
}

/**
 * A class slot holds the class itself or any registered subclass; a subclass value carries the
 * @type/@subtype tags that name it.
 */
function classSchema(node: ClassNode, definitions: SchemaDefinitions): JsonSchema {
  const own = classRef(node, definitions);
  const subclasses = registeredSubclassesOf(node.type);
  if (subclasses.length === 0) return own;
  const tagged = subclasses.map(([name, type]) => ({
    allOf: [
      classRef(toTypeNode(type as ClassType) as ClassNode, definitions),
      { type: 'object', properties: { '@type': { const: 'dataclass' }, '@subtype': { const: name } }, required: ['@type', '@subtype'] },
    ],
  }));
  return { anyOf: [own, ...tagged] };
}

function classRef(node: ClassNode, definitions: SchemaDefinitions): JsonSchema {
  return definitions.refTo(node.type, () => classDefinition(node, definitions));
}

/**
 * A DTO's fields, the required ones being those the decoder insists on. Unknown keys are ignored
 * on input, so they are not forbidden; class-transformer DTOs copy them, which is said outright.
 */
function classDefinition(node: ClassNode, definitions: SchemaDefinitions): JsonSchema {
  const shape = node.shape();
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const initial = initialValues(node.type);
  for (const field of shape.fields) {
    const schema = jsonSchemaOf(field.type, definitions);
    // class-transformer's @Type(() => X) converts an X or each X of an array (codec.ts, oneOrEach).
    const property: JsonSchema = shape.likePlainToInstance ? { anyOf: [schema, { type: 'array', items: schema }] } : schema;
    const fallback = defaultOf(field.type, initial.fixed.get(field.property));
    properties[field.name] = fallback === undefined ? property : { ...property, default: fallback };
    // A field the class initialises may be left out, like an optional one.
    if (!mayBeLeftOut(field.type) && !initial.set.has(field.property)) required.push(field.name);
  }
  const definition: JsonSchema = { type: 'object', properties, required };
  if (shape.likePlainToInstance) definition.additionalProperties = true;
  return definition;
}

/** A field's initial value in its JSON form, or undefined if it has none (or none that fits its type). */
function defaultOf(type: TypeNode, value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    return codecFor(type).encode(value);
  } catch {
    return undefined;
  }
}

function unknownKind(node: never): never {
  throw new TypeError(`no JSON schema for a ${(node as TypeNode).kind}`);
}
