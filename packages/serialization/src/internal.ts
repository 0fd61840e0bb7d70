// For the other Marshal packages: the public API and the pieces they build on. Not for applications;
// it may change between versions without notice.
export * from './index.js';
export * from './descriptor.js';
export { withoutConstraints, type ConstraintsFor, type ConstrainedDescriptor } from './constraints.js';
export { declaredFields, type FieldSpec } from './field.js';
export { formatPath, type Mismatch } from './serialization-error.js';
export { isAbsentable, unwrapAbsentable, mayBeLeftOut, type AbsentableNode } from './absentable.js';
export { toTypeNode, constraintsOf, type TypeNode, type ClassNode, type ClassField, type ClassShape, type EnumNode, type EnumMember, type UnionNode } from './type-node.js';
export { resolvedCodecFor, childrenOf } from './codec.js';
export { registeredClass, registeredName, registeredSubclassesOf } from './registry.js';
export { decodeIsoDate } from './iso-date.js';
export { textCodecFor, type TextCodec } from './primitive-text.js';
export { classChain, prototypeChain } from './prototype-chain.js';
export { isStandardDecoratorCall, ownMetadata, metadataKey } from './metadata.js';
export { initialValues, type InitialValues } from './initial-values.js';
