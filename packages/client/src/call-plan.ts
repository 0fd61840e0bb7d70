import { type EndpointModel, type ParamModel, type TextCodec, ContractError, textCodecFor } from '@marshal/core';
import { type Codec, SerializationError, resolvedCodecFor } from '@marshal/serialization';

export interface HttpCall {
  readonly method: 'GET' | 'POST';
  /** Path and query, to append to the base URL's path. */
  readonly path: string;
  /** JSON text, or undefined for no body. */
  readonly body: string | undefined;
}

/**
 * One endpoint's client side, built once per client: arguments → method, URL and body (the
 * mirror of the server's endpoint plan), and the decoder of the result.
 */
export interface CallPlan {
  readonly model: EndpointModel;
  encode(args: readonly unknown[]): HttpCall;
  readonly decodeResult: (json: unknown) => unknown;
}

interface Encoder<C> {
  readonly param: ParamModel;
  readonly codec: C;
}

export function buildCallPlan(model: EndpointModel): CallPlan {
  const where = `${model.className}.${model.methodName}`;
  if (model.transport !== 'http') throw new ContractError(`${where}: WebSocket endpoints are not supported by this version of the client yet`);
  const unsupported = model.fileParams[0] ?? model.streamParam;
  if (unsupported) throw new ContractError(`${where}(${unsupported.name}): file and stream parameters are not supported by this version of the client yet`);
  if (model.resultKind !== 'json') throw new ContractError(`${where}: ${model.resultKind} results are not supported by this version of the client yet`);

  const build = <T>(param: ParamModel | undefined, make: () => T): T => {
    try {
      return make();
    } catch (error) {
      throw new ContractError(`${where}${param ? `(${param.name})` : ' result'}: ${(error as Error).message}`);
    }
  };
  const text = (param: ParamModel): Encoder<TextCodec> => ({ param, codec: build(param, () => textCodecFor(param.descriptor)) });
  const json = (param: ParamModel): Encoder<Codec> => ({ param, codec: build(param, () => resolvedCodecFor(param.descriptor)) });
  const pathParams = model.pathParams.map(text);
  const queryParams = model.queryParams.map(text);
  const jsonParams = model.jsonParams.map(json);
  const result = build(undefined, () => resolvedCodecFor(model.returns));

  return {
    model,
    decodeResult: result.decode,
    encode(args) {
      let path = model.route;
      for (const { param, codec } of pathParams) {
        const value = args[param.index];
        if (value === undefined || value === null) throw argumentError(where, param, 'is required');
        const text = encodeArg(where, param, () => codec.format(value));
        // An empty segment reads as a missing one (or a trailing slash) on the server.
        if (text === '') throw argumentError(where, param, 'is an empty string, which a URL path cannot carry; declare the endpoint with forceJsonParams');
        path += `/${encodeURIComponent(text)}`;
      }
      let separator = '?';
      for (const { param, codec } of queryParams) {
        const value = args[param.index];
        // Absent and null are both left out; the server hands the implementation undefined (or null for nullable()).
        if (value === undefined || value === null) continue;
        path += `${separator}${param.name}=${encodeURIComponent(encodeArg(where, param, () => codec.format(value)))}`;
        separator = '&';
      }
      let body: string | undefined;
      if (jsonParams.length > 0) {
        const values: Record<string, unknown> = {};
        for (const { param, codec } of jsonParams) {
          const value = args[param.index];
          if (value === undefined && param.optional) continue;
          values[param.name] = encodeArg(where, param, () => codec.encode(value));
        }
        body = JSON.stringify(values);
      }
      return { method: model.httpMethod, path, body };
    },
  };
}

function encodeArg<T>(where: string, param: ParamModel, encode: () => T): T {
  try {
    return encode();
  } catch (error) {
    if (error instanceof SerializationError) throw argumentError(where, param, error.message);
    throw error;
  }
}

function argumentError(where: string, param: ParamModel, problem: string): TypeError {
  return new TypeError(`${where}: argument '${param.name}' ${problem.startsWith('is ') ? problem : `does not fit its type: ${problem}`}`);
}
