import type { EndpointModel, ServiceModel } from '../contract/service-model.js';
import { untransportable } from '../compiled/what-travels.js';
import { type CompiledEndpoint, compileEndpoint } from '../compiled/compiled-endpoint.js';
import { type EndpointDocumentation, type ServiceDocumentation, documentApi } from './api-documentation.js';
import { errorBodySchema, errorResponses } from './error-responses.js';
import { type JsonSchema, SchemaDefinitions, sharedIn } from './schema-definitions.js';

export interface OpenApiOptions {
  /** info.title; 'Marshal API' by default. */
  readonly title?: string;
  /** info.version, the version of the API (not of OpenAPI); '1.0.0' by default. */
  readonly version?: string;
  /** Where the API is served; relative URLs are read against the document's own URL. None by default (that is, '/'). */
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
  /** How callers authenticate: the security schemes by name, and the ones each endpoint requires (none for a public one). */
  readonly security?: OpenApiSecurity;
}

export interface OpenApiSecurity {
  readonly schemes: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The names of the schemes a call of `endpoint` must satisfy, all of them; empty when it is open to anyone. */
  requiredBy(endpoint: EndpointModel): readonly string[];
}

/** An endpoint the document has no operation for, because the server cannot answer it yet. */
export interface UnservedEndpoint {
  readonly operationId: string;
  readonly urlTemplate: string;
  readonly transport: string;
  /** The parameter that cannot travel, when one is the cause. */
  readonly parameter?: string;
  readonly reason: string;
}

/** A WebSocket endpoint: where to connect, with path and query as an HTTP endpoint has them. */
export interface WebSocketEndpoint {
  readonly operationId: string;
  readonly urlTemplate: string;
  readonly description?: string;
}

type JsonObject = Record<string, unknown>;

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string };
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
  readonly tags: readonly JsonObject[];
  /** By path template (`/my-service/select/{id}`), then by lower-case HTTP method. */
  readonly paths: Readonly<Record<string, Readonly<Record<string, JsonObject>>>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, JsonSchema>>;
    readonly responses: Readonly<Record<string, JsonObject>>;
    readonly securitySchemes?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  };
  /** Endpoints that cannot travel (a stream of values over HTTP): listed here rather than dropped. */
  readonly 'x-marshal-unserved': readonly UnservedEndpoint[];
  /** WebSocket endpoints, which OpenAPI has no operation for (docs/protocol.md, "WebSocket"). */
  readonly 'x-marshal-websocket': readonly WebSocketEndpoint[];
}

/**
 * An OpenAPI 3.1 document of the HTTP endpoints of some services. DTO classes and the error body
 * are components (`#/components/schemas/<Name>`); every operation answers 200 with its result as
 * JSON, or one of the shared error responses.
 */
export function openApiDocument(models: readonly ServiceModel[], options: OpenApiOptions = {}): OpenApiDocument {
  const definitions = new SchemaDefinitions('#/components/schemas/');
  // Added first, so it keeps its name; a DTO class called ErrorBody becomes ErrorBody_2.
  const errorBody = { $ref: definitions.refPrefix + definitions.add('ErrorBody', errorBodySchema()) };
  const api = documentApi(models, sharedIn(definitions));
  const errors = errorResponses(errorBody);
  const paths: Record<string, Record<string, JsonObject>> = {};
  const unserved: UnservedEndpoint[] = [];
  const websockets: WebSocketEndpoint[] = [];
  for (const model of models) {
    const service = api.services[model.name];
    for (const endpointModel of model.endpoints) {
      const endpoint = service.endpoints[endpointModel.methodName];
      const operationId = `${service.name}.${endpoint.methodName}`;
      const refusal = untransportable(endpointModel);
      if (refusal !== undefined) {
        unserved.push({ operationId, urlTemplate: endpoint.urlTemplate, transport: endpoint.transport, ...refusal });
        continue;
      }
      if (endpointModel.transport === 'websocket') {
        websockets.push({ operationId, urlTemplate: endpoint.urlTemplate, ...(endpoint.description ? { description: endpoint.description } : {}) });
        continue;
      }
      const path = `/${service.name}/${endpoint.name}${endpoint.pathParams.map((param) => `/{${param.name}}`).join('')}`;
      const described = operation(service, endpoint, compileEndpoint(endpointModel), operationId, errors.refs);
      if (options.security !== undefined) {
        const required = options.security.requiredBy(endpointModel);
        described.security = required.length === 0 ? [] : [Object.fromEntries(required.map((name) => [name, []]))];
      }
      (paths[path] ??= {})[endpoint.httpMethod.toLowerCase()] = described;
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: options.title ?? 'Marshal API', version: options.version ?? '1.0.0' },
    ...(options.servers ? { servers: options.servers } : {}),
    tags: Object.values(api.services).map((service) => ({ name: service.name, ...(service.description ? { description: service.description } : {}) })),
    paths,
    components: {
      schemas: definitions.schemas,
      responses: errors.components,
      ...(options.security !== undefined && Object.keys(options.security.schemes).length > 0 ? { securitySchemes: options.security.schemes } : {}),
    },
    'x-marshal-unserved': unserved,
    'x-marshal-websocket': websockets,
  };
}

function operation(service: ServiceDocumentation, endpoint: EndpointDocumentation, compiled: CompiledEndpoint, operationId: string, errorRefs: JsonObject): JsonObject {
  const parameters = [
    ...endpoint.pathParams.map((param) => ({ name: param.name, in: 'path', required: true, schema: param.schema })),
    ...endpoint.queryParams.map((param) => ({ name: param.name, in: 'query', required: param.required, schema: param.schema })),
  ];
  // A GET endpoint answers HEAD too (docs/protocol.md, "HTTP methods"); said here rather than repeated as an operation.
  const head = endpoint.httpMethod === 'GET' ? 'HEAD is answered like GET, without a body.' : undefined;
  const description = [endpoint.description, head].filter(Boolean).join('\n\n');
  const result: JsonObject = {
    operationId,
    tags: [service.name],
    ...(description ? { description } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
  };
  const requestBody = requestBodyOf(endpoint, compiled);
  if (requestBody !== undefined) result.requestBody = requestBody;
  result.responses = { '200': answerOf(endpoint, compiled), ...errorRefs };
  return result;
}

const octets = { type: 'string', contentMediaType: 'application/octet-stream' };

/** The body as the compiled endpoint sends it: JSON, raw bytes (whole or streamed), or multipart with a json_arguments part. */
function requestBodyOf(endpoint: EndpointDocumentation, compiled: CompiledEndpoint): JsonObject | undefined {
  const json = endpoint.jsonSchema;
  switch (compiled.bodyKind) {
    case 'none':
      return undefined;
    case 'json':
      return { required: json.required.length > 0, content: { 'application/json': { schema: json } } };
    case 'file':
      return { required: !compiled.fileParams[0].optional, description: `The file \`${compiled.fileParams[0].name}\`, as raw bytes.`, content: { 'application/octet-stream': { schema: octets } } };
    case 'byte-stream':
      return { required: true, description: `\`${compiled.streamParam!.name}\`, as raw bytes; handed over while they arrive.`, content: { 'application/octet-stream': { schema: octets } } };
    case 'multipart': {
      const properties: Record<string, unknown> = {};
      const required: string[] = [];
      if (compiled.jsonParams.length > 0) {
        properties.json_arguments = json;
        if (json.required.length > 0) required.push('json_arguments');
      }
      for (const param of compiled.fileParams) {
        properties[param.name] = octets;
        if (!param.optional) required.push(param.name);
      }
      return {
        required: true,
        content: {
          'multipart/form-data': {
            schema: { type: 'object', properties, required },
            encoding: { json_arguments: { contentType: 'application/json' } },
          },
        },
      };
    }
  }
}

/** The 200 answer in the result's form; streamed items are one per line, or Server-Sent Events when asked for. */
function answerOf(endpoint: EndpointDocumentation, compiled: CompiledEndpoint): JsonObject {
  const item = endpoint.returnSchema;
  const events = { schema: { type: 'string', description: 'With `Accept: text/event-stream`: one `data:` event per item, then `event: end` (or `event: error` with the error body).' } };
  switch (compiled.resultForm) {
    case 'json':
      return { description: 'The result, as JSON.', content: { 'application/json': { schema: item } } };
    case 'bytes':
      return { description: 'The result, as raw bytes.', content: { 'application/octet-stream': { schema: octets } } };
    case 'byte-stream':
      return { description: 'The result, streamed as raw bytes.', content: { 'application/octet-stream': { schema: octets } } };
    case 'text-lines':
      return { description: 'The items, streamed as UTF-8 lines, each of this schema.', content: { 'text/plain': { schema: item }, 'text/event-stream': events } };
    case 'json-lines':
      return { description: 'The items, streamed as JSON lines, each of this schema.', content: { 'application/jsonlines+json': { schema: item }, 'text/event-stream': events } };
  }
}

