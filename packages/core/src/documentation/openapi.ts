import type { ServiceModel } from '../contract/service-model.js';
import { untransportable } from '../compiled/what-travels.js';
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

type JsonObject = Record<string, unknown>;

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string };
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
  readonly tags: readonly JsonObject[];
  /** By path template (`/my-service/select/{id}`), then by lower-case HTTP method. */
  readonly paths: Readonly<Record<string, Readonly<Record<string, JsonObject>>>>;
  readonly components: { readonly schemas: Readonly<Record<string, JsonSchema>>; readonly responses: Readonly<Record<string, JsonObject>> };
  /**
   * WebSocket endpoints, and endpoints with file or stream parameters or results: their transports
   * are not served yet, so they have no operation, but they are listed here rather than dropped.
   */
  readonly 'x-marshal-unserved': readonly UnservedEndpoint[];
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
      const path = `/${service.name}/${endpoint.name}${endpoint.pathParams.map((param) => `/{${param.name}}`).join('')}`;
      (paths[path] ??= {})[endpoint.httpMethod.toLowerCase()] = operation(service, endpoint, operationId, errors.refs);
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: options.title ?? 'Marshal API', version: options.version ?? '1.0.0' },
    ...(options.servers ? { servers: options.servers } : {}),
    tags: Object.values(api.services).map((service) => ({ name: service.name, ...(service.description ? { description: service.description } : {}) })),
    paths,
    components: { schemas: definitions.schemas, responses: errors.components },
    'x-marshal-unserved': unserved,
  };
}

function operation(service: ServiceDocumentation, endpoint: EndpointDocumentation, operationId: string, errorRefs: JsonObject): JsonObject {
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
  const body = endpoint.jsonSchema;
  if (Object.keys(body.properties).length > 0) {
    result.requestBody = { required: body.required.length > 0, content: { 'application/json': { schema: body } } };
  }
  result.responses = {
    '200': { description: 'The result, as JSON.', content: { 'application/json': { schema: endpoint.returnSchema } } },
    ...errorRefs,
  };
  return result;
}

