import { createRequire } from 'node:module';
import { classChain } from './prototype-chain.js';

/**
 * Reads the field types that class-transformer's own decorators (@Type, @Expose) recorded, so
 * DTOs written for NestJS can be used as they are. class-transformer keeps them in a metadata
 * store that its package exposes only as a CommonJS module; Node's `import 'class-transformer'`
 * loads that same CommonJS build, so both see one store.
 */
interface TypeMetadata {
  propertyName: string;
  typeFunction: (options?: unknown) => Function;
}
interface ExposeMetadata {
  propertyName: string | undefined;
}
interface MetadataStore {
  _typeMetadatas: Map<Function, Map<string, TypeMetadata>>;
  getExposedMetadatas(target: Function): ExposeMetadata[];
}

let store: MetadataStore | null | undefined;

function loadStore(): MetadataStore | null {
  if (store === undefined) {
    try {
      const require = createRequire(import.meta.url);
      store = (require('class-transformer/cjs/storage.js') as { defaultMetadataStorage: MetadataStore }).defaultMetadataStorage;
    } catch {
      store = null;
    }
  }
  return store;
}

export interface ClassTransformerShape {
  /** Properties with a @Type(() => X): decoded as instances of X (each element, for arrays). */
  readonly typed: ReadonlyMap<string, () => Function>;
  /** Properties named by @Expose. */
  readonly exposed: readonly string[];
}

/** The class-transformer decorations of a class and its ancestors, or undefined if it has none. */
export function classTransformerShape(type: Function): ClassTransformerShape | undefined {
  const metadata = loadStore();
  if (!metadata) return undefined;
  const typed = new Map<string, () => Function>();
  for (const current of classChain(type)) {
    for (const [property, entry] of metadata._typeMetadatas.get(current) ?? []) {
      if (!typed.has(property)) typed.set(property, () => entry.typeFunction());
    }
  }
  const exposed = metadata.getExposedMetadatas(type).flatMap((entry) => (entry.propertyName ? [entry.propertyName] : []));
  return typed.size === 0 && exposed.length === 0 ? undefined : { typed, exposed };
}
