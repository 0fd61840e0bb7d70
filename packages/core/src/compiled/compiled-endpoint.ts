import {
  type Codec,
  type DecodeLimits,
  type Descriptor,
  type TextCodec,
  type TypeNode,
  defaultDecodeLimits,
  descriptorBrand,
  isDescriptorObject,
  resolvedCodecFor,
  textCodecFor,
  toTypeNode,
} from '@marshal/serialization/internal';
import { ContractError } from '../contract-error.js';
import type { EndpointModel, ParamModel } from '../contract/service-model.js';
import { isByteStream, untransportable } from './what-travels.js';

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

/**
 * How the request body carries parameters, chosen from the parameters alone as the reference
 * does: none at all; one JSON object keyed by parameter name; one file's raw bytes; one byte
 * stream's raw bytes, handed over while they arrive; or multipart, with the JSON parameters in a
 * `json_arguments` part and one part per file.
 */
export type BodyKind = 'none' | 'json' | 'file' | 'byte-stream' | 'multipart';

/**
 * How the result travels: JSON; a `Bytes` result's raw bytes; a `stream(Bytes)` result's chunks
 * as they come; a `stream(String)` as UTF-8 lines; any other `stream(T)` as JSON lines.
 */
export type ResultForm = 'json' | 'bytes' | 'byte-stream' | 'text-lines' | 'json-lines';

/**
 * Everything both ends of a call need about one endpoint, built once from its model: the text
 * codecs of its URL parameters, the body's kind and codecs, the result's form and codec. The
 * server decodes with it, the client encodes with it, and neither compiles placement itself.
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
  /** `Bytes` parameters: the body itself ('file'), or multipart parts named after them. */
  readonly fileParams: readonly ParamModel[];
  /** The stream parameter: `stream(Bytes)` over HTTP (a 'byte-stream' body); any `stream(T)` over WebSocket. */
  readonly streamParam: ParamModel | undefined;
  /** The codec of each item of a stream parameter of values (WebSocket `item` frames); undefined for `stream(Bytes)`. */
  readonly streamItem: Codec | undefined;
  readonly resultForm: ResultForm;
  /** The codec of the JSON result, or of each item of a streamed one. */
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
  const returns = buildFor(label, undefined, () => toTypeNode(model.returns));
  const resultForm = resultFormOf(returns);
  const stream = model.streamParam;
  return {
    model,
    label,
    absentArgs: model.params.map((param) => param.valueWhenAbsent),
    pathParams: model.pathParams.map(textParam),
    queryParams,
    queryByName: new Map(queryParams.map((entry) => [entry.param.name, entry])),
    bodyKind: bodyKindOf(model),
    jsonParams,
    jsonByName: new Map(jsonParams.map((entry) => [entry.param.name, entry])),
    fileParams: model.fileParams,
    streamParam: stream,
    streamItem: stream === undefined || isByteStream(stream.descriptor) ? undefined : jsonParam({ ...stream, descriptor: itemOrSelf(stream.descriptor) }).codec,
    resultForm,
    result: buildFor(label, undefined, () => resolvedCodecFor(itemOrSelf(model.returns), limits)),
  };
}

/** The reference's rule (kaia-wire §3): a stream first, then one lone file, then JSON alone, then multipart. */
function bodyKindOf(model: EndpointModel): BodyKind {
  if (model.streamParam !== undefined) return 'byte-stream';
  const files = model.fileParams.length;
  const json = model.jsonParams.length;
  if (files === 1 && json === 0) return 'file';
  if (files > 0) return 'multipart';
  return json > 0 ? 'json' : 'none';
}

/** A stream's item descriptor, or the descriptor itself. */
function itemOrSelf(descriptor: Descriptor): Descriptor {
  return isDescriptorObject(descriptor) && descriptor[descriptorBrand] === 'stream' ? (descriptor as unknown as { item: Descriptor }).item : descriptor;
}

function resultFormOf(returns: TypeNode): ResultForm {
  if (returns.kind === 'bytes') return 'bytes';
  if (returns.kind !== 'stream') return 'json';
  if (returns.item.kind === 'bytes') return 'byte-stream';
  return returns.item.kind === 'string' ? 'text-lines' : 'json-lines';
}

/** Runs one build step; its failure becomes a ContractError naming `Class.method(param)` or `Class.method result`. */
function buildFor<T>(label: string, param: ParamModel | undefined, build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw new ContractError(`${label}${param ? `(${param.name})` : ' result'}: ${(error as Error).message}`);
  }
}
