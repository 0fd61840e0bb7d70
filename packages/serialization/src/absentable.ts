import { type Descriptor, type WrapperDescriptor, descriptorBrand, isDescriptorObject } from './descriptor.js';
import { type TypeNode, isTypeNode } from './type-node.js';

/** An optional(…) or nullable(…) node. */
export type AbsentableNode = TypeNode & { readonly kind: 'optional' | 'nullable'; readonly item: TypeNode };

/**
 * Whether a type is optional(…) or nullable(…): the wrappers that let a value be absent (it then
 * arrives as undefined or as null). A descriptor is read as it is, without resolving class thunks,
 * so this may be asked while a contract class is being defined.
 */
export function isAbsentable(node: TypeNode): node is AbsentableNode;
export function isAbsentable(descriptor: Descriptor): descriptor is WrapperDescriptor<unknown>;
export function isAbsentable(type: TypeNode | Descriptor): boolean {
  return isAbsentableType(type);
}

/** The type under optional(…) or nullable(…), or the type itself. */
export function unwrapAbsentable(node: TypeNode): TypeNode;
export function unwrapAbsentable(descriptor: Descriptor): Descriptor;
export function unwrapAbsentable(type: TypeNode | Descriptor): TypeNode | Descriptor {
  return isAbsentableType(type) ? type.item : type;
}

/**
 * Whether a decoder takes a missing value for this type: optional(…), nullable(…), and Void
 * (which has no value to send). A DTO field or a JSON parameter of such a type may be left out.
 */
export function mayBeLeftOut(node: TypeNode): boolean {
  return isAbsentable(node) || node.kind === 'void';
}

/** isAbsentable for either form: a descriptor object carries its kind under its brand, a TypeNode as `kind`. */
function isAbsentableType(type: TypeNode | Descriptor): type is AbsentableNode | WrapperDescriptor<unknown> {
  const kind = isDescriptorObject(type) ? type[descriptorBrand] : isTypeNode(type) ? type.kind : undefined;
  return kind === 'optional' || kind === 'nullable';
}
