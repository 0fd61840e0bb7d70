import {
  type EndpointModel,
  type ParamModel,
  type TextCodec,
  ContractError,
  textCodecFor,
} from '@marshal/core';
import { type Codec, type DecodeLimits, resolvedCodecFor } from '@marshal/serialization';

export interface TextParamPlan {
  readonly param: ParamModel;
  readonly text: TextCodec;
}

export interface JsonParamPlan {
  readonly param: ParamModel;
  readonly codec: Codec;
}

/**
 * Everything a request to one endpoint needs, built once when the server is constructed: the
 * decoders of every parameter by placement, the result encoder and the bound implementation.
 */
export interface EndpointPlan {
  readonly model: EndpointModel;
  /** The argument list before decoding: each parameter's value when the caller leaves it out. */
  readonly absentArgs: readonly unknown[];
  readonly pathParams: readonly TextParamPlan[];
  readonly queryParams: readonly TextParamPlan[];
  readonly queryByName: ReadonlyMap<string, TextParamPlan>;
  readonly jsonParams: readonly JsonParamPlan[];
  readonly jsonByName: ReadonlyMap<string, JsonParamPlan>;
  readonly readsBody: boolean;
  readonly encodeResult: (value: unknown) => unknown;
  readonly invoke: (args: unknown[]) => unknown;
}

export function buildEndpointPlan(model: EndpointModel, implementation: object, limits: DecodeLimits): EndpointPlan {
  const where = `${model.className}.${model.methodName}`;
  if (model.transport !== 'http') throw new ContractError(`${where}: WebSocket endpoints are not served by this version of the server yet`);
  const unsupported = model.fileParams[0] ?? model.streamParam;
  if (unsupported) throw new ContractError(`${where}(${unsupported.name}): file and stream parameters are not served by this version of the server yet`);
  if (model.resultKind !== 'json') throw new ContractError(`${where}: ${model.resultKind} results are not served by this version of the server yet`);

  const textPlan = (param: ParamModel): TextParamPlan => ({ param, text: withParam(where, param, () => textCodecFor(param.descriptor)) });
  const jsonPlan = (param: ParamModel): JsonParamPlan => ({ param, codec: withParam(where, param, () => resolvedCodecFor(param.descriptor, limits)) });
  const pathParams = model.pathParams.map(textPlan);
  const queryParams = model.queryParams.map(textPlan);
  const jsonParams = model.jsonParams.map(jsonPlan);
  const result = withParam(where, undefined, () => resolvedCodecFor(model.returns, limits));

  const method = (implementation as Record<string, unknown>)[model.methodName];
  if (typeof method !== 'function') throw new ContractError(`${where}: the implementation has no method ${model.methodName}`);

  return {
    model,
    absentArgs: model.params.map((param) => param.absent),
    pathParams,
    queryParams,
    queryByName: new Map(queryParams.map((plan) => [plan.param.name, plan])),
    jsonParams,
    jsonByName: new Map(jsonParams.map((plan) => [plan.param.name, plan])),
    readsBody: jsonParams.length > 0,
    encodeResult: result.encode,
    invoke: (args) => method.apply(implementation, args),
  };
}

/** Resolves a descriptor (which may call a class thunk) and names the place if that fails. */
function withParam<T>(where: string, param: ParamModel | undefined, build: () => T): T {
  try {
    return build();
  } catch (error) {
    const at = param ? `${where}(${param.name})` : `${where} result`;
    throw new ContractError(`${at}: ${(error as Error).message}`);
  }
}

