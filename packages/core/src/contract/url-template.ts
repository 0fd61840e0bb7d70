interface Named {
  readonly name: string;
}

/** `/my-service/select/<id>?drop_duplicates=<drop_duplicates>`: the reference's documentation form. */
export function urlTemplateOf(route: string, pathParams: readonly Named[], queryParams: readonly Named[]): string {
  const path = route + pathParams.map((p) => `/<${p.name}>`).join('');
  if (queryParams.length === 0) return path;
  return `${path}?${queryParams.map((p) => `${p.name}=<${p.name}>`).join('&')}`;
}
