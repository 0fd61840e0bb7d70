/** A JSON Schema (draft 2020-12) as plain JSON data. */
export type JsonSchema = { [keyword: string]: unknown };

/** Where the definition of a DTO class is referred to: `#/$defs/` in a schema of its own, `#/components/schemas/` in OpenAPI. */
export type RefPrefix = '#/$defs/' | '#/components/schemas/';

// OpenAPI requires component names to match ^[a-zA-Z0-9._-]+$; JSON Schema itself is more lenient.
const invalidNameCharacters = /[^A-Za-z0-9._-]/g;

/**
 * The named definitions a set of schemas refers to: one per DTO class, plus any added by name.
 * A name belongs to one thing: a second class called `Item` (from another module) is defined as
 * `Item_2` instead of being merged with the first.
 */
export class SchemaDefinitions {
  readonly #byClass = new Map<Function, string>();
  readonly #schemas: Record<string, JsonSchema> = {};

  constructor(readonly refPrefix: RefPrefix = '#/$defs/') {}

  /** Adds a definition under `name` or, if that is taken, a numbered variant; returns the name used. */
  add(name: string, schema: JsonSchema): string {
    const unique = this.#uniqueName(name);
    this.#schemas[unique] = schema;
    return unique;
  }

  /**
   * The $ref to a class's definition, defining it on first use. The ref exists before `define`
   * runs, so a class whose fields refer to itself (directly or through others) gets it back.
   */
  refTo(type: Function, define: () => JsonSchema): JsonSchema {
    let name = this.#byClass.get(type);
    if (name === undefined) {
      // Bundlers may prefix a class they rename (esbuild writes _Item for a decorated class that refers to itself).
      name = this.add(type.name.replace(/^[_$]+/, '') || 'Anonymous', {});
      this.#byClass.set(type, name);
      Object.assign(this.#schemas[name], define());
    }
    return { $ref: this.refPrefix + name };
  }

  get isEmpty(): boolean {
    return Object.keys(this.#schemas).length === 0;
  }

  /** Every definition, by name, in the order they were first used. */
  get schemas(): Readonly<Record<string, JsonSchema>> {
    return this.#schemas;
  }

  #uniqueName(wanted: string): string {
    const base = wanted.replace(invalidNameCharacters, '_');
    let name = base;
    for (let n = 2; Object.hasOwn(this.#schemas, name); n++) name = `${base}_${n}`;
    return name;
  }
}

/**
 * How the schemas of a documentation find their definitions: each one a self-contained document
 * with its own `$defs` (standalone), or all of them sharing one place (an OpenAPI document's
 * components). `build` makes one schema from the definitions it is given.
 */
export type SchemaScope = (build: (definitions: SchemaDefinitions) => JsonSchema) => JsonSchema;

export const standalone: SchemaScope = (build) => {
  const definitions = new SchemaDefinitions();
  const schema = build(definitions);
  return definitions.isEmpty ? schema : { ...schema, $defs: definitions.schemas };
};

export function sharedIn(definitions: SchemaDefinitions): SchemaScope {
  return (build) => build(definitions);
}
