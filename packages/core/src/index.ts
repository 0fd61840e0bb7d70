// The descriptors (String, Number, Boolean and Date are the global constructors themselves), DTO
// declarations, codecs and their limits: what @marshal/serialization offers applications.
export * from '@marshal/serialization';
export { service } from './decorators/service.js';
export { endpoint, websocket } from './decorators/endpoint.js';
export type { EndpointOptions, WebSocketOptions, HttpMethod, Transport, Access, ParamSpec, ParamList } from './decorators/endpoint-spec.js';
// The model of a contract, for tools that read contracts (documentation, code generators).
export { serviceModelOf, type ServiceModel, type EndpointModel, type ParamModel, type ServiceOptions, type ResultKind } from './contract/service-model.js';
export { unimplemented } from './unimplemented.js';
export { ContractError } from './contract-error.js';
export { MarshalError, errorTable, type ErrorCode, type ErrorIssue, type ErrorIssueInput, type MarshalErrorDetails } from './errors.js';
export type { ErrorBody } from './wire/error-body.js';
export {
  ApiDocumentation,
  documentApi,
  type BodySchema,
  type EndpointDocumentation,
  type ServiceDocumentation,
  type UrlParamDocumentation,
} from './documentation/api-documentation.js';
export { openApiDocument, type OpenApiDocument, type OpenApiOptions, type OpenApiSecurity, type UnservedEndpoint, type WebSocketEndpoint } from './documentation/openapi.js';
export type { JsonSchema } from './documentation/schema-definitions.js';
