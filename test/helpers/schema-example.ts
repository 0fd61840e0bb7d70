type Schema = { readonly [keyword: string]: any };

/**
 * A value that fits a JSON schema of the kinds Marshal documents, following `$ref`s into
 * `definitions` (`#/components/schemas/<Name>`): optional properties are filled in too, and a
 * union takes its first choice, so every part of a schema takes part in a call.
 */
export function exampleOf(schema: Schema, definitions: Readonly<Record<string, Schema>>, depth = 0): unknown {
  if (depth > 20) throw new Error('the schema nests too deeply for an example (a recursive class?)');
  const next = (inner: Schema) => exampleOf(inner, definitions, depth + 1);
  if (schema.$ref !== undefined) return next(definitions[String(schema.$ref).split('/').pop()!]);
  if (schema.anyOf !== undefined) return next(schema.anyOf[0]);
  if (schema.oneOf !== undefined) return next(schema.oneOf[0]);
  if (schema.enum !== undefined) return schema.enum[0];
  if ('const' in schema) return schema.const;
  switch (schema.type) {
    case 'string':
      if (schema.format === 'date-time') return '2026-01-02T03:04:05.000Z';
      return schema.contentEncoding === 'base64' ? 'AAEC/w==' : 'example';
    case 'integer':
      return 7;
    case 'number':
      return 0.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return [next(schema.items)];
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, inner]) => [name, next(inner as Schema)]));
    default:
      // {}: any JSON value.
      return { any: 'value' };
  }
}
