// For the other Marshal packages (server, client, testing): the public API and the pieces they
// build on. Not for applications; it may change between versions without notice.
export * from './index.js';
export type { Verified, ContractProblem } from './decorators/contract-check.js';
export { isServiceContract } from './contract/service-model.js';
export { serviceNameOf, endpointNameOf } from './contract/naming.js';
export { placementOf, type Placement } from './contract/placement.js';
export { textCodecFor, type TextCodec } from '@marshal/serialization/internal';
export { compileEndpoint, type CompiledEndpoint, type TextParam, type JsonParam, type BodyKind, type ResultForm } from './compiled/compiled-endpoint.js';
export { untransportable, type Untransportable } from './compiled/what-travels.js';
export { parseErrorBody, isErrorCode } from './wire/error-body.js';
export { jsonSchemaOf } from './documentation/json-schema.js';
export { SchemaDefinitions, standalone, sharedIn, type SchemaScope, type RefPrefix } from './documentation/schema-definitions.js';
export { indexPage, escapeHtml, type IndexPageOptions } from './documentation/index-page.js';
