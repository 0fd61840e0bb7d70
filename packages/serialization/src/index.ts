export * from './descriptor.js';
export {
  constrained,
  withoutConstraints,
  type Constraints,
  type ConstraintsFor,
  type ConstrainedDescriptor,
  type StringConstraints,
  type NumberConstraints,
  type ItemConstraints,
} from './constraints.js';
export { field, declaredFields, type FieldSpec, type FieldOptions } from './field.js';
export { SerializationError, formatPath, type PathSegment, type Mismatch } from './serialization-error.js';
export { isAbsentable, unwrapAbsentable, mayBeLeftOut, type AbsentableNode } from './absentable.js';
export { toTypeNode, constraintsOf, type TypeNode, type ClassNode, type ClassField, type ClassShape, type EnumNode, type EnumMember, type UnionNode } from './type-node.js';
export { codecFor, resolvedCodecFor, issuesOf, childrenOf, type Codec } from './codec.js';
export { defaultDecodeLimits, type DecodeLimits } from './decode-limits.js';
export { type SerializationIssue, type FoundIssues } from './issue-collector.js';
export { dto, type DtoOptions, type FieldNaming } from './dto.js';
export { registerClass, registeredClass, registeredName, registeredSubclassesOf } from './registry.js';
export { decodeIsoDate } from './iso-date.js';
export { textCodecFor, type TextCodec } from './primitive-text.js';
export { classChain, prototypeChain } from './prototype-chain.js';
export { isStandardDecoratorCall, ownMetadata, metadataKey } from './metadata.js';
export { initialValues, type InitialValues } from './initial-values.js';
