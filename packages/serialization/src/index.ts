// What an application writes. What other Marshal packages need besides is in internal.ts.
export {
  Int,
  Json,
  JsonObject,
  Bytes,
  Void,
  optional,
  nullable,
  arrayOf,
  recordOf,
  stream,
  literal,
  union,
  taggedUnion,
  tuple,
  mapOf,
  setOf,
  enumOf,
  type EnumOptions,
  type Descriptor,
  type Infer,
  type Accept,
  type JsonValue,
  type JsonInput,
  type JsonObjectInput,
  type ClassType,
  type ClassThunk,
} from './descriptor.js';
export { constrained, type Constraints, type StringConstraints, type NumberConstraints, type ItemConstraints } from './constraints.js';
export { field, type FieldOptions } from './field.js';
export { dto, type DtoOptions, type FieldNaming } from './dto.js';
export { registerClass } from './registry.js';
export { codecFor, issuesOf, type Codec } from './codec.js';
export { SerializationError, type PathSegment } from './serialization-error.js';
export { defaultDecodeLimits, type DecodeLimits } from './decode-limits.js';
export type { SerializationIssue, FoundIssues } from './issue-collector.js';
