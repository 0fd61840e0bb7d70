export * from './descriptor.js';
export { field, declaredFields, type FieldSpec } from './field.js';
export { SerializationError, formatPath, type PathSegment } from './serialization-error.js';
export { toTypeNode, type TypeNode, type ClassNode, type ClassField, type ClassShape, type EnumNode, type EnumMember } from './type-node.js';
export { codecFor, resolvedCodecFor, type Codec } from './codec.js';
export { decodeIsoDate } from './iso-date.js';
export { isStandardDecoratorCall, ownMetadata, metadataKey } from './metadata.js';
