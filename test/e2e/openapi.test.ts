/**
 * The OpenAPI document of the example services: valid by a real OpenAPI 3.1 validator, and true
 * to the server: every operation it lists, called as it says, answers 200 with a body that fits
 * its documented result schema.
 */
import { describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { type JsonSchema, openApiDocument, serviceModelOf } from '@marshal/core';
import { exampleServices } from '../../examples/services.js';
import { serveForTests } from '../helpers/serve.js';
import { call, post } from '../helpers/http.js';
import { exampleOf } from '../helpers/schema-example.js';
import { apiKeyAuth, forService } from '@marshal/server';
import { ingestKeys } from '../../examples/telemetry/ingest-keys.js';
import { IFileService } from '../../examples/file-service/contract.js';

// Each example implementation extends its contract directly.
const models = exampleServices().map((implementation) => serviceModelOf(Object.getPrototypeOf(implementation.constructor)));
const document = openApiDocument(models, { title: 'Marshal examples', version: '0.1.0' });
const definitions = document.components.schemas;
// strict: false lets the components ride along in a schema as an unknown keyword; date-times are checked as such.
const ajv = new Ajv2020({ strict: false, formats: { 'date-time': fullFormats['date-time'] } });

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly schema: JsonSchema;
}
type Content = Readonly<Record<string, { readonly schema: JsonSchema }>>;
interface Operation {
  readonly operationId: string;
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content: Content };
  readonly responses: { readonly '200': { readonly content: Content } };
}

const exampleBytes = new TextEncoder().encode('example bytes');

/** A request body as the operation documents it: JSON, raw bytes, or multipart with a json_arguments part. */
function exampleBody(content: Content | undefined): RequestInit {
  if (content === undefined) return {};
  const [type, { schema }] = Object.entries(content)[0];
  if (type === 'application/json') return { headers: { 'content-type': type }, body: JSON.stringify(exampleOf(schema, definitions)) };
  if (type === 'application/octet-stream') return { headers: { 'content-type': type }, body: exampleBytes };
  const form = new FormData();
  for (const [name, part] of Object.entries((schema as { properties: Record<string, JsonSchema> }).properties)) {
    if (name === 'json_arguments') form.append(name, new Blob([JSON.stringify(exampleOf(part, definitions))], { type: 'application/json' }));
    else form.append(name, new Blob([exampleBytes]), name);
  }
  return { body: form };
}

/** The values in a 200's body, by its media type: one JSON value, one per line, or none (raw bytes). */
function valuesOf(type: string, body: unknown): unknown[] {
  if (type === 'application/json') return [body];
  const lines = (body as string).split('\n').slice(0, -1);
  if (type === 'application/jsonlines+json') return lines.map((line) => JSON.parse(line));
  return type === 'text/plain' ? lines : [];
}

async function validate(candidate: unknown): Promise<{ valid: boolean; errors?: unknown }> {
  // The validator keeps what it is given; a copy keeps the document as generated.
  return new Validator().validate(structuredClone(candidate) as Record<string, unknown>);
}

/** The path template filled in, and the query, from each parameter's example. */
function exampleUrl(template: string, parameters: readonly Parameter[]): string {
  const text = (parameter: Parameter) => encodeURIComponent(String(exampleOf(parameter.schema, definitions)));
  let path = template;
  const query: string[] = [];
  for (const parameter of parameters) {
    if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, text(parameter));
    else query.push(`${parameter.name}=${text(parameter)}`);
  }
  return query.length === 0 ? path : `${path}?${query.join('&')}`;
}

describe('the OpenAPI document of the example services', () => {
  it('is valid OpenAPI 3.1, and its schemas are valid JSON Schema 2020-12', async () => {
    expect(await validate(document)).toEqual({ valid: true });
    // The OpenAPI validator checks the document's structure and $refs, not what is inside each schema.
    for (const [name, schema] of Object.entries(definitions)) expect(ajv.validateSchema(schema), `${name}: ${ajv.errorsText()}`).toBe(true);
    expect(ajv.validateSchema({ type: 'strnig' })).toBe(false);
  });

  it.each([
    ['a $ref to a schema that is not there', (d: any) => (d.paths['/agent-server/inject'].post.requestBody.content['application/json'].schema.properties.request.$ref = '#/components/schemas/Nope')],
    ['a path parameter that is not required', (d: any) => (d.paths['/my-service/select/{id}'].post.parameters[0].required = false)],
    ['no info', (d: any) => delete d.info],
    ['a response without a description', (d: any) => delete d.paths['/agent-server/threads'].get.responses['200'].description],
  ])('is rejected by the same validator when broken: %s', async (_, breakIt) => {
    const broken = structuredClone(document);
    breakIt(broken);
    expect((await validate(broken)).valid).toBe(false);
  });

  describe('against a real server', () => {
    const served = serveForTests({ services: exampleServices() });

    it('answers every operation, called with example arguments, with 200 and a result that fits its schema', async () => {
      // thread/{id} answers 200 only for a thread that exists: create the one the examples name.
      expect((await post(`${served.url}/agent-server/inject`, { request: { to: 'x', payload: {}, threadId: 'example' } })).status).toBe(200);
      const called: string[] = [];
      for (const [template, item] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(item as unknown as Record<string, Operation>)) {
          const answer = await call(served.url + exampleUrl(template, operation.parameters ?? []), {
            method: method.toUpperCase(),
            ...exampleBody(operation.requestBody?.content),
          });
          expect({ operation: operation.operationId, status: answer.status, body: answer.body }).toMatchObject({ operation: operation.operationId, status: 200 });
          const [type, { schema }] = Object.entries(operation.responses['200'].content)[0];
          expect(answer.headers.get('content-type')?.startsWith(type)).toBe(true);
          // The components go along so that the result schema's $refs (#/components/schemas/…) resolve in it.
          const fits = ajv.compile({ ...schema, components: document.components });
          for (const value of valuesOf(type, answer.body)) expect(fits(value), `${operation.operationId}: ${ajv.errorsText(fits.errors)}`).toBe(true);
          called.push(operation.operationId);
        }
      }
      // experiment-tracker.ingest runs before .run, and its example (a create_run message) creates the run named 'example'.
      expect(called).toEqual([
        'my-service.select',
        'agent-server.inject',
        'agent-server.thread',
        'agent-server.threads',
        'experiment-tracker.ingest',
        'experiment-tracker.run',
        'telemetry.ingest',
        'telemetry.usage',
        'file-service.json_only',
        'file-service.single_file',
        'file-service.json_and_file',
        'file-service.download_file',
        'file-service.count_bytes',
        'file-service.text_lines',
        'file-service.token_stream',
      ]);
      expect(document['x-marshal-unserved']).toEqual([]);
    });
  });

  describe('served at /openapi.json and /docs', () => {
    const served = serveForTests({ services: exampleServices(), documentation: { title: 'Marshal examples', version: '0.1.0' } });

    it('serves the generated document and a page that lists every endpoint', async () => {
      const openApi = await call(`${served.url}/openapi.json`);
      // Served with a relative server, so that a mounted Marshal's document points under its mount path.
      expect(openApi.body).toEqual({ ...document, servers: [{ url: '.', description: 'where this document is served' }] });
      expect(await validate(openApi.body)).toEqual({ valid: true });
      const page = await call(`${served.url}/docs`);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      for (const model of models) {
        for (const endpoint of model.endpoints) expect(page.body).toContain(`<code>${endpoint.urlTemplate.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</code>`);
      }
    });
  });

  describe('with guards', () => {
    const served = serveForTests({
      services: exampleServices(),
      middleware: [ingestKeys({ 'a-key': { id: 'daemon' } }), forService(IFileService, apiKeyAuth({ keys: { 'file-key': 'uploader' } }))],
    });

    it('states the security schemes, the ones each operation requires, and none for a public one', async () => {
      const { body } = await call(`${served.url}/openapi.json`);
      const servedDocument = body as { components: { securitySchemes: unknown }; paths: Record<string, Record<string, { security?: unknown }>> };
      expect(await validate(servedDocument)).toEqual({ valid: true });
      expect(servedDocument.components.securitySchemes).toEqual({ bearerAuth: { type: 'http', scheme: 'bearer' }, 'apiKey_x-api-key': { type: 'apiKey', in: 'header', name: 'x-api-key' } });
      expect(servedDocument.paths['/telemetry/ingest'].post.security).toEqual([{ bearerAuth: [] }]);
      // usage is public in its contract.
      expect(servedDocument.paths['/telemetry/usage/{session_id}'].get.security).toEqual([]);
      expect(servedDocument.paths['/file-service/single-file'].post.security).toEqual([{ 'apiKey_x-api-key': [] }]);
      // Services without a guard require nothing.
      expect(servedDocument.paths['/my-service/select/{id}'].post.security).toEqual([]);
    });
  });
});
