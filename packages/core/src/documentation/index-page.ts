import type { ApiDocumentation, EndpointDocumentation, ServiceDocumentation } from './api-documentation.js';
import type { JsonSchema } from './schema-definitions.js';

export interface IndexPageOptions {
  readonly title?: string;
  /** Where the OpenAPI document is served, linked from the page; '/openapi.json' by default. */
  readonly openApiUrl?: string;
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every piece of text on the page comes from contracts, so every piece goes through here. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => escapes[character]);
}

// Inline and small: the page must work with no other request (a server may be reached only through a tunnel).
const style = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2.5rem}
section.endpoint{margin:1.2rem 0;padding:.6rem .9rem;border-left:4px solid #8ab}
.method{font-weight:bold;font-family:monospace;margin-right:.5rem}
table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
pre{background:#f5f5f5;padding:.5rem;overflow:auto}code{font-size:13px}`;

/** A self-contained HTML page listing every service and endpoint, with a link to the OpenAPI document. */
export function indexPage(documentation: ApiDocumentation, options: IndexPageOptions = {}): string {
  const title = escapeHtml(options.title ?? 'Marshal API');
  const services = Object.values(documentation.services).map(serviceSection).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${style}</style></head>
<body><h1>${title}</h1>
<p>Machine-readable: <a href="${escapeHtml(options.openApiUrl ?? '/openapi.json')}">OpenAPI document</a>.</p>
${services}
</body></html>
`;
}

function serviceSection(service: ServiceDocumentation): string {
  const endpoints = Object.values(service.endpoints).map(endpointSection).join('\n');
  return `<h2>${escapeHtml(service.name)} <small>(${escapeHtml(service.className)})</small></h2>
${paragraph(service.description)}
${endpoints}`;
}

function endpointSection(endpoint: EndpointDocumentation): string {
  const method = endpoint.transport === 'http' ? endpoint.httpMethod : 'WebSocket';
  return `<section class="endpoint"><div><span class="method">${method}</span><code>${escapeHtml(endpoint.urlTemplate)}</code></div>
${paragraph(endpoint.description)}
${parameterTable(endpoint)}
<details><summary>Result${endpoint.returnIsStream ? ' (a stream; the schema of each item)' : ''}</summary>${schemaBlock(endpoint.returnSchema)}</details>
</section>`;
}

/** One row per parameter, in the place it travels; JSON parameters show their part of the body schema. */
function parameterTable(endpoint: EndpointDocumentation): string {
  const body = endpoint.jsonSchema;
  const rows = [
    ...endpoint.pathParams.map((param) => row(param.name, 'path', param.required, param.schema)),
    ...endpoint.queryParams.map((param) => row(param.name, 'query', param.required, param.schema)),
    ...Object.entries(body.properties).map(([name, schema]) => row(name, 'JSON body', body.required.includes(name), schema)),
    ...endpoint.fileParams.map((name) => row(name, 'file', undefined, undefined)),
    ...(endpoint.streamParam === undefined ? [] : [row(endpoint.streamParam, 'stream', undefined, undefined)]),
  ];
  if (rows.length === 0) return '<p>No parameters.</p>';
  const definitions = body.$defs === undefined ? '' : `<details><summary>Types used by the JSON body</summary>${schemaBlock(body.$defs)}</details>`;
  return `<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>
${rows.join('\n')}</table>${definitions}`;
}

/** Files and streams are raw bytes or items, outside JSON; whether they are optional is not part of their documentation. */
function row(name: string, place: string, required: boolean | undefined, schema: JsonSchema | undefined): string {
  const needed = required === undefined ? '' : required ? 'yes' : 'no';
  const type = schema === undefined ? 'binary' : `<code>${escapeHtml(JSON.stringify(schema))}</code>`;
  return `<tr><td><code>${escapeHtml(name)}</code></td><td>${place}</td><td>${needed}</td><td>${type}</td></tr>`;
}

function schemaBlock(schema: JsonSchema): string {
  return `<pre><code>${escapeHtml(JSON.stringify(schema, null, 2))}</code></pre>`;
}

function paragraph(text: string | undefined): string {
  return text === undefined ? '' : `<p>${escapeHtml(text)}</p>`;
}
