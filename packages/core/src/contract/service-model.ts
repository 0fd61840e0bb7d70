import { type Descriptor, isAbsentable, isDescriptor, describeValue, descriptorBrand, isDescriptorObject, prototypeChain } from '@marshal/serialization/internal';
import { contractError, ContractError } from '../contract-error.js';
import { type Access, type EndpointSpec, type HttpMethod, type Transport, endpointSpecOf } from '../decorators/endpoint-spec.js';
import { endpointNameOf, serviceNameOf } from './naming.js';
import { type Placement, placementOf } from './placement.js';
import { urlTemplateOf } from './url-template.js';

export interface ParamModel {
  readonly name: string;
  /** Position in the method's argument list. */
  readonly index: number;
  readonly descriptor: Descriptor;
  readonly placement: Placement;
  /** optional() or nullable(): the caller may leave it out. */
  readonly optional: boolean;
  /** What the implementation receives when the caller leaves it out: null for nullable(), else undefined. */
  readonly valueWhenAbsent: null | undefined;
}

/** json: the encoded value; stream: stream(…) results; file: a Bytes result, sent as raw bytes like the reference does. */
export type ResultKind = 'json' | 'stream' | 'file';

export interface EndpointModel {
  readonly serviceName: string;
  readonly className: string;
  readonly methodName: string;
  /** The endpoint's segment in URLs (kebab-case). */
  readonly name: string;
  readonly transport: Transport;
  readonly httpMethod: HttpMethod;
  readonly params: readonly ParamModel[];
  readonly pathParams: readonly ParamModel[];
  readonly queryParams: readonly ParamModel[];
  readonly jsonParams: readonly ParamModel[];
  readonly fileParams: readonly ParamModel[];
  readonly streamParam: ParamModel | undefined;
  readonly returns: Descriptor;
  readonly resultKind: ResultKind;
  readonly forceJsonParams: boolean;
  readonly verifyAbstract: boolean;
  /** The endpoint's own call timeout in ms, if it sets one (0: none); else the server's applies. */
  readonly timeoutMs: number | undefined;
  /** The contract says a call may be sent again (see EndpointOptions.idempotent): clients retry only these. */
  readonly idempotent: boolean;
  /** The endpoint's own `access`, else its service's, else 'protected'. */
  readonly access: Access;
  readonly description: string | undefined;
  /** `/my-service/select`: the URL up to the path parameters. */
  readonly route: string;
  /** `/my-service/select/<id>?drop_duplicates=<drop_duplicates>`, as the reference documents it. */
  readonly urlTemplate: string;
}

export interface ServiceModel {
  readonly type: Function;
  readonly className: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly endpoints: readonly EndpointModel[];
}

export interface ServiceOptions {
  /** The service's segment in URLs; by default derived from the class name (IMyService → my-service). */
  readonly name?: string;
  readonly description?: string;
  /** The `access` of endpoints that do not state their own (default 'protected'). */
  readonly access?: Access;
}

const models = new WeakMap<Function, ServiceModel>();
const segmentPattern = /^[A-Za-z0-9._~-]+$/;

/** The model of a class marked @service, or a ContractError saying it is not one. */
export function serviceModelOf(type: Function): ServiceModel {
  const model = models.get(type);
  if (!model) {
    const name = typeof type === 'function' && type.name ? type.name : describeValue(type);
    throw new ContractError(`${name} is not a service contract: mark the class with @service()`);
  }
  return model;
}

export function isServiceContract(type: unknown): boolean {
  return typeof type === 'function' && models.has(type);
}

/** Builds and records the model of a contract class; called by @service while the class is decorated. */
export function defineServiceModel(type: Function, options: ServiceOptions): ServiceModel {
  const className = type.name || '(anonymous class)';
  const name = options.name ?? serviceNameOf(className);
  if (!segmentPattern.test(name)) {
    throw contractError({ className }, `service name ${JSON.stringify(name)} must be a URL segment of letters, digits, '.', '_', '~' or '-'`);
  }
  const access = accessOf({ className }, options.access) ?? 'protected';
  const endpoints: EndpointModel[] = [];
  const seen = new Map<string, string>();
  for (const spec of collectSpecs(type)) {
    const model = endpointModel(className, name, access, spec);
    const clash = seen.get(model.name);
    if (clash) throw contractError({ className, method: spec.methodName }, `endpoint name '${model.name}' is already used by ${clash}`);
    seen.set(model.name, spec.methodName);
    endpoints.push(model);
  }
  if (endpoints.length === 0) {
    throw contractError({ className }, 'a service needs at least one method marked @endpoint or @websocket');
  }
  const model: ServiceModel = { type, className, name, description: options.description, endpoints };
  models.set(type, model);
  return model;
}

/** Endpoint specs along the prototype chain, base classes first, in declaration order; a redeclared method wins. */
function collectSpecs(type: Function): EndpointSpec[] {
  const byMethod = new Map<string, EndpointSpec>();
  for (const proto of prototypeChain(type.prototype).reverse()) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const spec = endpointSpecOf(Object.getOwnPropertyDescriptor(proto, key)?.value);
      if (spec) {
        byMethod.delete(key);
        byMethod.set(key, spec);
      }
    }
  }
  return [...byMethod.values()];
}

function endpointModel(className: string, serviceName: string, serviceAccess: Access, spec: EndpointSpec): EndpointModel {
  const { options, methodName, transport } = spec;
  const where = { className, method: methodName };
  if (typeof options !== 'object' || options === null) throw contractError(where, 'the decorator needs an options object with params and returns');
  if (!Array.isArray(options.params)) throw contractError(where, "'params' must list the parameters as [name, descriptor] pairs");
  if (!('returns' in options) || !isDescriptor(options.returns)) {
    throw contractError(where, `'returns' must be a type descriptor (Void for no result), got ${describeValue(options.returns)}`);
  }
  const name = options.name ?? endpointNameOf(methodName);
  if (!segmentPattern.test(name)) throw contractError(where, `endpoint name ${JSON.stringify(name)} is not a valid URL segment`);
  const forceJsonParams = options.forceJsonParams ?? false;
  const params = options.params.map((entry, index) => paramModel(where, entry, index, forceJsonParams));
  checkParams(where, params, transport);

  const httpMethod = options.method ?? 'POST';
  if (httpMethod !== 'GET' && httpMethod !== 'POST') throw contractError(where, `method must be 'GET' or 'POST', got ${describeValue(httpMethod)}`);
  const byPlacement = (placement: Placement) => params.filter((p) => p.placement === placement);
  const bodyParams = params.filter((p) => p.placement !== 'path' && p.placement !== 'query');
  if (httpMethod === 'GET' && bodyParams.length > 0) {
    throw contractError({ ...where, parameter: bodyParams[0].name }, 'a GET endpoint cannot take a request body; use POST or make the parameter a URL primitive');
  }
  const route = `/${serviceName}/${name}`;
  const pathParams = byPlacement('path');
  const queryParams = byPlacement('query');
  return {
    serviceName,
    className,
    methodName,
    name,
    transport,
    httpMethod,
    params,
    pathParams,
    queryParams,
    jsonParams: byPlacement('json'),
    fileParams: byPlacement('file'),
    streamParam: byPlacement('stream')[0],
    returns: options.returns,
    resultKind: resultKindOf(options.returns),
    forceJsonParams,
    verifyAbstract: options.verifyAbstract ?? true,
    timeoutMs: timeoutOf(where, options.timeoutMs),
    idempotent: idempotentOf(where, options.idempotent),
    access: accessOf(where, options.access) ?? serviceAccess,
    description: options.description,
    route,
    urlTemplate: urlTemplateOf(route, pathParams, queryParams),
  };
}

function paramModel(where: { className: string; method: string }, entry: unknown, index: number, forceJsonParams: boolean): ParamModel {
  if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
    throw contractError(where, `params[${index}] must be a [name, descriptor] pair, got ${describeValue(entry)}`);
  }
  const [name, descriptor] = entry as [string, unknown];
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw contractError(where, `params[${index}]: ${JSON.stringify(name)} is not a valid parameter name`);
  if (!isDescriptor(descriptor)) {
    throw contractError({ ...where, parameter: name }, `not a type descriptor: ${describeValue(descriptor)}`);
  }
  const optional = isAbsentable(descriptor);
  const valueWhenAbsent = optional && descriptor[descriptorBrand] === 'nullable' ? null : undefined;
  return { name, index, descriptor, placement: placementOf(descriptor, forceJsonParams), optional, valueWhenAbsent };
}

function timeoutOf(where: { className: string; method: string }, timeoutMs: unknown): number | undefined {
  if (timeoutMs === undefined) return undefined;
  if (typeof timeoutMs !== 'number' || !Number.isSafeInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > 2_147_483_647) {
    throw contractError(where, `timeoutMs must be a whole number of milliseconds ≥ 0, got ${describeValue(timeoutMs)}`);
  }
  return timeoutMs;
}

function idempotentOf(where: { className: string; method: string }, idempotent: unknown): boolean {
  if (idempotent === undefined) return false;
  if (typeof idempotent !== 'boolean') throw contractError(where, `idempotent must be true or false, got ${describeValue(idempotent)}`);
  return idempotent;
}

function accessOf(where: { className: string; method?: string }, access: unknown): Access | undefined {
  if (access === undefined || access === 'public' || access === 'protected') return access;
  throw contractError(where, `access must be 'public' or 'protected', got ${describeValue(access)}`);
}

function resultKindOf(returns: Descriptor): ResultKind {
  if (!isDescriptorObject(returns)) return 'json';
  const kind = returns[descriptorBrand];
  return kind === 'stream' ? 'stream' : kind === 'bytes' ? 'file' : 'json';
}

function checkParams(where: { className: string; method: string }, params: ParamModel[], transport: Transport): void {
  const names = new Set<string>();
  for (const param of params) {
    if (names.has(param.name)) throw contractError({ ...where, parameter: param.name }, 'the parameter name is used twice');
    names.add(param.name);
  }
  const streams = params.filter((p) => p.placement === 'stream');
  if (streams.length > 1) throw contractError({ ...where, parameter: streams[1].name }, 'an endpoint takes at most one stream parameter');
  if (transport === 'http' && streams.length === 1 && params.some((p) => p.placement === 'json' || p.placement === 'file')) {
    throw contractError({ ...where, parameter: streams[0].name }, 'over HTTP a stream parameter cannot be combined with JSON or file parameters; use @websocket');
  }
}
