// String, Number, Boolean and Date descriptors are the global constructors themselves.
export {
  Int,
  Json,
  JsonObject,
  Bytes,
  Void,
  optional,
  nullable,
  arrayOf,
  recordOf,
  enumOf,
  stream,
  literal,
  union,
  taggedUnion,
  tuple,
  mapOf,
  setOf,
  constrained,
  field,
  dto,
  registerClass,
  type DtoOptions,
  type FieldOptions,
  type FieldNaming,
  type DecodeLimits,
  type Descriptor,
  type Infer,
  type JsonValue,
  type JsonInput,
  type Accept,
  type Constraints,
} from '@marshal/serialization';
export { service } from './decorators/service.js';
export { endpoint, websocket } from './decorators/endpoint.js';
export type { EndpointOptions, WebSocketOptions, HttpMethod, Transport, ParamSpec, ParamList } from './decorators/endpoint-spec.js';
export type { Verified, ContractProblem } from './decorators/contract-check.js';
export { unimplemented } from './unimplemented.js';
export { ContractError } from './contract-error.js';
export { MarshalError, errorTable, type ErrorCode, type ErrorIssue, type ErrorIssueInput, type MarshalErrorDetails } from './errors.js';
export {
  serviceModelOf,
  isServiceContract,
  type ServiceModel,
  type EndpointModel,
  type ParamModel,
  type ServiceOptions,
  type ResultKind,
} from './contract/service-model.js';
export { serviceNameOf, endpointNameOf } from './contract/naming.js';
export { placementOf, type Placement } from './contract/placement.js';
export { textCodecFor, type TextCodec } from '@marshal/serialization';
export { compileEndpoint, type CompiledEndpoint, type TextParam, type JsonParam, type BodyKind } from './compiled/compiled-endpoint.js';
export { untransportable, type Untransportable } from './compiled/what-travels.js';
export { type ErrorBody, parseErrorBody, isErrorCode } from './wire/error-body.js';
export { jsonSchemaOf } from './documentation/json-schema.js';
export { SchemaDefinitions, standalone, sharedIn, type JsonSchema, type SchemaScope, type RefPrefix } from './documentation/schema-definitions.js';
export {
  ApiDocumentation,
  documentApi,
  type BodySchema,
  type EndpointDocumentation,
  type ServiceDocumentation,
  type UrlParamDocumentation,
} from './documentation/api-documentation.js';
export { openApiDocument, type OpenApiDocument, type OpenApiOptions, type UnservedEndpoint } from './documentation/openapi.js';
export { indexPage, escapeHtml, type IndexPageOptions } from './documentation/index-page.js';
