import { type Descriptor, descriptorBrand, isAbsentable, isDescriptorObject, unwrapAbsentable, withoutConstraints } from '@marshal/serialization/internal';

/** Where a parameter travels in an HTTP request (docs/protocol.md, "Parameter placement"). */
export type Placement = 'path' | 'query' | 'json' | 'file' | 'stream';

const primitiveConstructors = new Set<unknown>([String, Number, Boolean, Date]);

/** Primitives: written as text in a URL. Class thunks are never primitives, so nothing needs resolving here. */
export function isPrimitiveDescriptor(constrained: Descriptor): boolean {
  const descriptor = withoutConstraints(constrained);
  if (primitiveConstructors.has(descriptor)) return true;
  if (!isDescriptorObject(descriptor)) return false;
  const kind = descriptor[descriptorBrand];
  return kind === 'int' || kind === 'enum';
}

function isKind(descriptor: Descriptor, kind: string): boolean {
  return isDescriptorObject(descriptor) && descriptor[descriptorBrand] === kind;
}

/**
 * The reference's rule: non-nullable primitives → URL path, in order; nullable or optional
 * primitives → query string; binary data → file; a stream → the stream; everything else → JSON
 * body. `forceJsonParams` sends every non-binary parameter in the JSON body.
 */
export function placementOf(descriptor: Descriptor, forceJsonParams: boolean): Placement {
  if (isKind(descriptor, 'stream')) return 'stream';
  const inner = unwrapAbsentable(descriptor);
  if (isKind(inner, 'bytes')) return 'file';
  if (forceJsonParams) return 'json';
  if (isPrimitiveDescriptor(descriptor)) return 'path';
  if (isAbsentable(descriptor) && isPrimitiveDescriptor(inner)) return 'query';
  return 'json';
}
