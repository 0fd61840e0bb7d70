/**
 * `import '@marshal/serialization/class-transformer'`, once, before a server or client is built:
 * DTO classes without @field are then read from class-transformer's own decorators, as its
 * plainToInstance reads them (design.md, "DTO classes"). class-transformer is an optional peer
 * dependency, needed only by this entry.
 *
 * class-transformer's public API has no way to read what its decorators recorded: its index
 * exports the decorators, the transform functions and the metadata types, not the store. So the
 * store is imported from class-transformer's `storage` module, as NestJS's mapped-types does, and
 * a class's @Type properties are listed from the store's private map (its public
 * findTypeMetadata(class, property) needs the property's name first). Node runs
 * class-transformer's CommonJS build (its "main") for `import … from 'class-transformer'`, so the
 * decorators and this entry share that build's one store.
 */
// class-transformer's declarations are all in types/, none beside cjs/ (TS7016); types/storage.d.ts
// describes this module, and `store` is declared with it below.
// @ts-ignore
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage.js';
import type { TypeMetadata } from 'class-transformer';
import { type ClassTransformerShape, setClassTransformerReader } from './class-transformer-fields.js';
import { classChain } from './prototype-chain.js';

const store: MetadataStorage = defaultMetadataStorage;
const typeMetadatas = (store as unknown as { _typeMetadatas: Map<Function, Map<string, TypeMetadata>> })._typeMetadatas;

function classTransformerShape(type: Function): ClassTransformerShape | undefined {
  const typed = new Map<string, () => Function>();
  for (const current of classChain(type)) {
    for (const [property, entry] of typeMetadatas.get(current) ?? []) {
      if (!typed.has(property)) typed.set(property, () => entry.typeFunction());
    }
  }
  const exposed = store.getExposedMetadatas(type).flatMap((entry) => (entry.propertyName ? [entry.propertyName] : []));
  return typed.size === 0 && exposed.length === 0 ? undefined : { typed, exposed };
}

setClassTransformerReader(classTransformerShape);
