import { classChain, mayBeLeftOut, toTypeNode, unwrapAbsentable } from '@marshal/serialization/internal';
import { ContractError } from '../contract-error.js';
import type { Access, HttpMethod, Transport } from '../decorators/endpoint-spec.js';
import { type EndpointModel, type ParamModel, type ServiceModel, isServiceContract, serviceModelOf } from '../contract/service-model.js';
import { jsonSchemaOf } from './json-schema.js';
import { type JsonSchema, type SchemaDefinitions, type SchemaScope, standalone } from './schema-definitions.js';

/** A path or query parameter: its name and the schema of the primitive its URL text stands for. */
export interface UrlParamDocumentation {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly required: boolean;
}

/** The JSON body: an object with one property per JSON parameter, the required ones listed. */
export interface BodySchema extends JsonSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, JsonSchema>>;
  readonly required: readonly string[];
  /** The DTO classes the properties refer to, when the schema is a document of its own. */
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
}

export interface EndpointDocumentation {
  /** The endpoint's segment in URLs (kebab-case), as in the route. */
  readonly name: string;
  readonly methodName: string;
  readonly description: string | undefined;
  readonly transport: Transport;
  readonly httpMethod: HttpMethod;
  /** `/my-service/select/<id>?drop_duplicates=<drop_duplicates>`, the reference's form. */
  readonly urlTemplate: string;
  readonly pathParams: readonly UrlParamDocumentation[];
  readonly queryParams: readonly UrlParamDocumentation[];
  readonly jsonSchema: BodySchema;
  readonly fileParams: readonly string[];
  readonly streamParam: string | undefined;
  /** The result's JSON form; for a stream, that of each item; for raw bytes, an octet-stream. */
  readonly returnSchema: JsonSchema;
  readonly returnIsFile: boolean;
  readonly returnIsStream: boolean;
  /** A client may send a call again after a failure (the contract's `idempotent`). */
  readonly idempotent: boolean;
  /** 'protected': authentication guards apply; 'public': they let calls through. */
  readonly access: Access;
}

export interface ServiceDocumentation {
  readonly name: string;
  readonly className: string;
  readonly description: string | undefined;
  /** By method name, as the reference keys them. */
  readonly endpoints: Readonly<Record<string, EndpointDocumentation>>;
}

export interface ApiDocumentation {
  /** By service name. */
  readonly services: Readonly<Record<string, ServiceDocumentation>>;
}

/** Top-level bytes (a file result, or the pieces of a binary stream) travel raw, not as tagged JSON. */
const octetStream: JsonSchema = { type: 'string', contentMediaType: 'application/octet-stream' };

/**
 * The documentation of services, from their models. With the default scope every schema is a
 * document of its own, carrying the `$defs` of the DTO classes it uses; OpenAPI passes a scope
 * that collects them all in its components instead.
 */
export function documentApi(models: readonly ServiceModel[], scope: SchemaScope = standalone): ApiDocumentation {
  const services: Record<string, ServiceDocumentation> = {};
  for (const model of models) {
    const other = services[model.name];
    if (other) throw new ContractError(`two services are named '${model.name}': ${other.className} and ${model.className}`);
    services[model.name] = documentService(model, scope);
  }
  return { services };
}

export const ApiDocumentation = {
  /**
   * As the reference's ApiDocumentation.parse: every @service class found on the prototype chains
   * of the classes given (contracts, or implementation classes that extend them), base first.
   */
  parse(...classes: Function[]): ApiDocumentation {
    const contracts = new Set<Function>();
    for (const type of classes) {
      const chain = classChain(type).filter(isServiceContract).reverse();
      if (chain.length === 0) serviceModelOf(type); // throws the ContractError that says what is wrong
      for (const contract of chain) contracts.add(contract);
    }
    return documentApi([...contracts].map(serviceModelOf));
  },
};

function documentService(model: ServiceModel, scope: SchemaScope): ServiceDocumentation {
  const endpoints: Record<string, EndpointDocumentation> = {};
  for (const endpoint of model.endpoints) endpoints[endpoint.methodName] = documentEndpoint(endpoint, scope);
  return { name: model.name, className: model.className, description: model.description, endpoints };
}

function documentEndpoint(endpoint: EndpointModel, scope: SchemaScope): EndpointDocumentation {
  // A URL parameter's text is the primitive itself: absence is its `required`, and a URL cannot carry null.
  const urlParam = (param: ParamModel): UrlParamDocumentation => ({
    name: param.name,
    schema: scope((definitions) => at(endpoint, param, () => jsonSchemaOf(unwrapAbsentable(toTypeNode(param.descriptor)), definitions))),
    required: !param.optional,
  });
  const result = at(endpoint, undefined, () => toTypeNode(endpoint.returns));
  const rawBytes = endpoint.resultKind === 'file' || (result.kind === 'stream' && result.item.kind === 'bytes');
  return {
    name: endpoint.name,
    methodName: endpoint.methodName,
    description: endpoint.description,
    transport: endpoint.transport,
    httpMethod: endpoint.httpMethod,
    urlTemplate: endpoint.urlTemplate,
    pathParams: endpoint.pathParams.map(urlParam),
    queryParams: endpoint.queryParams.map(urlParam),
    jsonSchema: scope((definitions) => bodySchema(endpoint, definitions)) as BodySchema,
    fileParams: endpoint.fileParams.map((param) => param.name),
    streamParam: endpoint.streamParam?.name,
    returnSchema: rawBytes ? { ...octetStream } : scope((definitions) => at(endpoint, undefined, () => jsonSchemaOf(result, definitions))),
    returnIsFile: endpoint.resultKind === 'file',
    returnIsStream: endpoint.resultKind === 'stream',
    idempotent: endpoint.idempotent,
    access: endpoint.access,
  };
}

/** The JSON body: one property per JSON parameter, keyed by its name. */
function bodySchema(endpoint: EndpointModel, definitions: SchemaDefinitions): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const param of endpoint.jsonParams) {
    at(endpoint, param, () => {
      const type = toTypeNode(param.descriptor);
      properties[param.name] = jsonSchemaOf(type, definitions);
      if (!mayBeLeftOut(type)) required.push(param.name);
    });
  }
  return { type: 'object', properties, required };
}

/**
 * Resolving a type may call a class thunk or read a class's fields for the first time; a broken
 * one is reported with the place it is used, as a server or client built from it would.
 */
function at<T>(endpoint: EndpointModel, param: ParamModel | undefined, build: () => T): T {
  try {
    return build();
  } catch (error) {
    const where = `${endpoint.className}.${endpoint.methodName}${param ? `(${param.name})` : ' result'}`;
    throw new ContractError(`${where}: ${(error as Error).message}`);
  }
}
