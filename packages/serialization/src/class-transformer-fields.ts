/**
 * DTOs declared with class-transformer's @Type and @Expose (as NestJS code has them) are read only
 * once `@marshal/serialization/class-transformer` has been imported: that entry reads
 * class-transformer's metadata and registers its reader here. The main entry so needs neither
 * class-transformer nor anything of Node's.
 */
export interface ClassTransformerShape {
  /** Properties with a @Type(() => X): decoded as instances of X (each element, for arrays). */
  readonly typed: ReadonlyMap<string, () => Function>;
  /** Properties named by @Expose. */
  readonly exposed: readonly string[];
}

export type ClassTransformerReader = (type: Function) => ClassTransformerShape | undefined;

let reader: ClassTransformerReader | undefined;

/** Called by `@marshal/serialization/class-transformer` when it is imported. */
export function setClassTransformerReader(read: ClassTransformerReader): void {
  reader = read;
}

/** Whether `@marshal/serialization/class-transformer` has been imported. */
export function readsClassTransformer(): boolean {
  return reader !== undefined;
}

/** The class-transformer decorations of a class and its ancestors; undefined if it has none, or if they are not read. */
export function classTransformerShape(type: Function): ClassTransformerShape | undefined {
  return reader?.(type);
}
