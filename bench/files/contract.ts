/**
 * The contract the file benchmarks serve with Marshal, and its implementation: of our own, so that
 * examples/file-service can change freely. Each endpoint does what the hand-written handlers of
 * raw-server.ts do, byte for byte on the wire.
 */
import { Bytes, Int, endpoint, service, stream, unimplemented } from '@marshal/core';
import { chunkSize, patternChunk } from './common.js';

@service({ name: 'file-bench' })
export class IFileBench {
  /** POST /file-bench/count, the body is the upload: counts its bytes as they arrive. */
  @endpoint({ params: [['file', stream(Bytes)]], returns: Int })
  count(file: AsyncIterable<Uint8Array>): Promise<number> {
    return unimplemented();
  }

  /** GET /file-bench/download/<size>: `size` bytes, streamed in pieces of 64 KiB. */
  @endpoint({ params: [['size', Int]], returns: stream(Bytes), method: 'GET' })
  download(size: number): AsyncIterable<Uint8Array> {
    return unimplemented();
  }

  /** POST /file-bench/form, multipart: a `json_arguments` part ({"name": …}) and a `file` part, buffered; the answer is its length. */
  @endpoint({ params: [['name', String], ['file', Bytes]], returns: Int, forceJsonParams: true })
  form(name: string, file: Uint8Array): Promise<number> {
    return unimplemented();
  }
}

export class FileBench extends IFileBench {
  override async count(file: AsyncIterable<Uint8Array>) {
    let count = 0;
    for await (const chunk of file) count += chunk.length;
    return count;
  }

  override async *download(size: number) {
    for (let sent = 0; sent < size; sent += chunkSize) yield size - sent >= chunkSize ? patternChunk : patternChunk.subarray(0, size - sent);
  }

  override async form(_name: string, file: Uint8Array) {
    return file.length;
  }
}
