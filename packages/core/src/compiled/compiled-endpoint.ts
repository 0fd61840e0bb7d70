import { type Codec, type DecodeLimits, type TextCodec, defaultDecodeLimits, resolvedCodecFor, textCodecFor } from '@marshal/serialization';
import { ContractError } from '../contract-error.js';
import type { EndpointModel, ParamModel } from '../contract/service-model.js';
import { untransportable } from './what-travels.js';

/** A path or query parameter and its URL text codec. */
export interface TextParam {
  readonly param: ParamModel;
  readonly text: TextCodec;
}

/** A JSON body parameter and its codec. */
export interface JsonParam {
  readonly param: ParamModel;
  readonly codec: Codec;
}

/** How the request body carries parameters: none at all, or one JSON object keyed by parameter name. */
export type BodyKind = 'none' | 'json';

/**
 * Everything both ends of a call need about one endpoint, built once from its model: the text
 * codecs of its URL parameters, the body's kind and codecs, the result's codec. The server
 * decodes with it, the client encodes with it, and neither compiles placement itself.
 */
export interface CompiledEndpoint {
  readonly model: EndpointModel;
  /** `IMyService.select`, for messages. */
  readonly label: string;
  /** The argument list before decoding: each parameter's value when the caller leaves it out. */
  readonly absentArgs: readonly unknown[];
  readonly pathParams: readonly TextParam[];
  readonly queryParams: readonly TextParam[];
  readonly queryByName: ReadonlyMap<string, TextParam>;
  readonly bodyKind: BodyKind;
  readonly jsonParams: readonly JsonParam[];
  readonly jsonByName: ReadonlyMap<string, JsonParam>;
  readonly result: Codec;
}

/**
 * Compiles an endpoint; a ContractError names the class, method and parameter of whatever cannot
 * be built (an unresolvable class thunk, a descriptor a URL cannot carry) or cannot travel yet.
 * `limits` bound what decoding may build; the client decodes results with the defaults.
 */
export function compileEndpoint(model: EndpointModel, limits: DecodeLimits = defaultDecodeLimits): CompiledEndpoint {
  const label = `${model.className}.${model.methodName}`;
  const refusal = untransportable(model);
  if (refusal !== undefined) throw new ContractError(`${label}${refusal.parameter ? `(${refusal.parameter})` : ''}: ${refusal.reason}`);

  const textParam = (param: ParamModel): TextParam => ({ param, text: buildFor(label, param, () => textCodecFor(param.descriptor)) });
  const jsonParam = (param: ParamModel): JsonParam => ({ param, codec: buildFor(label, param, () => resolvedCodecFor(param.descriptor, limits)) });
  const queryParams = model.queryParams.map(textParam);
  const jsonParams = model.jsonParams.map(jsonParam);
  return {
    model,
    label,
    absentArgs: model.params.map((param) => param.valueWhenAbsent),
    pathParams: model.pathParams.map(textParam),
    queryParams,
    queryByName: new Map(queryParams.map((entry) => [entry.param.name, entry])),
    bodyKind: jsonParams.length > 0 ? 'json' : 'none',
    jsonParams,
    jsonByName: new Map(jsonParams.map((entry) => [entry.param.name, entry])),
    result: buildFor(label, undefined, () => resolvedCodecFor(model.returns, limits)),
  };
}

/** Runs one build step; its failure becomes a ContractError naming `Class.method(param)` or `Class.method result`. */
function buildFor<T>(label: string, param: ParamModel | undefined, build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw new ContractError(`${label}${param ? `(${param.name})` : ' result'}: ${(error as Error).message}`);
  }
}
