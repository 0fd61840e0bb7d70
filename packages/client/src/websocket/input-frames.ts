import type { CompiledEndpoint, ParamModel } from '@marshal/core/internal';
import { SerializationError } from '@marshal/serialization/internal';
import { argumentError, describe, fileArgument, jsonValues } from '../encode-call.js';
import type { UploadPart } from '../transport/transport.js';
import { UploadSourceError, nextOrAbort, stopSource, uploadChunks } from '../transport/upload-chunks.js';

/** File and byte-stream data go in binary frames of at most this size (docs/protocol.md 14.2). */
export const binaryFrameSize = 64 * 1024;

/**
 * What a WebSocket call sends, checked when the method is called (a TypeError names an argument
 * that does not fit, before anything is sent); its files and streams are read only while they
 * are sent.
 */
export interface CallInput {
  /** The `args` frame. */
  readonly args: string;
  /** Each `Bytes` parameter in declaration order: its bytes, or undefined when an optional one is absent. */
  readonly files: readonly { readonly name: string; readonly part: UploadPart | undefined }[];
  /** The stream parameter and its source: bytes for `stream(Bytes)`, items for `stream(T)`. */
  readonly stream: { readonly param: ParamModel; readonly source: UploadPart | ItemSource } | undefined;
}

type ItemSource = AsyncIterable<unknown> | Iterable<unknown>;

const noBytes = new Uint8Array(0);
const noItems: ItemSource = [];

export function callInput(endpoint: CompiledEndpoint, args: readonly unknown[]): CallInput {
  const files = endpoint.fileParams.map((param) => ({ name: param.name, part: fileArgument(endpoint, param, args[param.index]) }));
  const param = endpoint.streamParam;
  return {
    args: JSON.stringify({ type: 'args', json: jsonValues(endpoint, args) }),
    files,
    stream: param === undefined ? undefined : { param, source: streamArgument(endpoint, param, args[param.index]) },
  };
}

/** A stream argument: any file form for `stream(Bytes)`, an (async) iterable for a stream of values; an absent optional one is an empty stream. */
function streamArgument(endpoint: CompiledEndpoint, param: ParamModel, value: unknown): UploadPart | ItemSource {
  if (endpoint.streamItem === undefined) return fileArgument(endpoint, param, value) ?? noBytes;
  if (value === undefined || value === null) {
    if (!param.optional) throw argumentError(endpoint, param, 'is required');
    return noItems;
  }
  if (typeof value === 'object' && (Symbol.asyncIterator in value || Symbol.iterator in value)) return value as ItemSource;
  throw argumentError(endpoint, param, `is ${describe(value)}, not a stream: give an AsyncIterable or an Iterable (an array) of its items`);
}

const fileEnd = JSON.stringify({ type: 'file_end' });
const streamEnd = JSON.stringify({ type: 'end' });

/**
 * The client's frames in protocol order: `args`; each file (`file`, its bytes, `file_end`, or
 * `absent`); then the stream (`stream`, its chunks or `item` frames, `end`). The sources are read
 * only as the frames are taken. When `signal` fires, a read still waiting on a source is given up
 * (the iteration throws) and the source is stopped. A source's own failure, or an item that does
 * not fit its type, is an UploadSourceError.
 */
export async function* inputFrames(endpoint: CompiledEndpoint, input: CallInput, signal: AbortSignal): AsyncGenerator<string | Uint8Array> {
  yield input.args;
  for (const { name, part } of input.files) {
    if (part === undefined) {
      yield JSON.stringify({ type: 'file', name, absent: true });
      continue;
    }
    yield JSON.stringify({ type: 'file', name });
    yield* binaryFrames(part, signal);
    yield fileEnd;
  }
  const stream = input.stream;
  if (stream === undefined) return;
  yield JSON.stringify({ type: 'stream', name: stream.param.name });
  if (endpoint.streamItem === undefined) yield* binaryFrames(stream.source as UploadPart, signal);
  else yield* itemFrames(endpoint, stream.param, stream.source as ItemSource, signal);
  yield streamEnd;
}

/** A file's or a byte stream's chunks, cut to the frame size (a large chunk would exceed the server's message limit). */
async function* binaryFrames(part: UploadPart, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  for await (const chunk of uploadChunks({ contentType: 'application/octet-stream', parts: [part], length: undefined }, signal, undefined)) {
    if (chunk.length <= binaryFrameSize) yield chunk;
    else for (let offset = 0; offset < chunk.length; offset += binaryFrameSize) yield chunk.subarray(offset, offset + binaryFrameSize);
  }
}

async function* itemFrames(endpoint: CompiledEndpoint, param: ParamModel, source: ItemSource, signal: AbortSignal): AsyncGenerator<string> {
  const codec = endpoint.streamItem!;
  const what = `the stream argument '${param.name}'`;
  const items = iteratorOf(source, what);
  let finished = false;
  try {
    for (let index = 0; ; index++) {
      const step = await nextOrAbort(items, signal, what);
      if (step.done) {
        finished = true;
        return;
      }
      let value: unknown;
      try {
        value = codec.encode(step.value);
      } catch (error) {
        const problem = error instanceof SerializationError ? error.message : String(error);
        throw new UploadSourceError(`item ${index} of ${what} does not fit its type: ${problem}`, { cause: error });
      }
      yield JSON.stringify({ type: 'item', value });
    }
  } finally {
    if (!finished) stopSource(items);
  }
}

function iteratorOf(source: ItemSource, what: string): AsyncIterator<unknown> | Iterator<unknown> {
  try {
    if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
    return source[Symbol.iterator]();
  } catch (error) {
    throw new UploadSourceError(`${what} could not be read: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}
