/**
 * The contract the WebSocket benchmarks serve with Marshal, and its implementation: of our own, so
 * that examples/streaming-service can change freely. Each endpoint does what raw-server.ts does by
 * hand, frame for frame on the wire (see wire.ts).
 */
import { Bytes, Int, field, service, stream, unimplemented, websocket } from '@marshal/core';
import { chunkSize, item, patternChunk } from './wire.js';

export class Item {
  @field(String) text!: string;
  @field(Int) index!: number;
}

@service({ name: 'ws-bench' })
export class IWsBench {
  /** `count` small DTOs, as item frames. */
  @websocket({ params: [['count', Int]], returns: stream(Item) })
  items(count: number): AsyncIterable<Item> {
    return unimplemented();
  }

  /** `size` bytes, as binary frames of 64 KiB. */
  @websocket({ params: [['size', Int]], returns: stream(Bytes) })
  download(size: number): AsyncIterable<Uint8Array> {
    return unimplemented();
  }

  /** Counts the bytes of the stream as they arrive. */
  @websocket({ params: [['data', stream(Bytes)]], returns: Int })
  upload(data: AsyncIterable<Uint8Array>): Promise<number> {
    return unimplemented();
  }

  /** The shortest call: one JSON argument in, the same string back. */
  @websocket({ params: [['text', String]], returns: String, forceJsonParams: true })
  ping(text: string): Promise<string> {
    return unimplemented();
  }

  /** Every chunk of the stream back as it arrives: duplex, both directions at once. */
  @websocket({ params: [['data', stream(Bytes)]], returns: stream(Bytes) })
  echo(data: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    return unimplemented();
  }
}

export class WsBench extends IWsBench {
  override async *items(count: number) {
    for (let index = 0; index < count; index++) yield Object.assign(new Item(), item(index));
  }

  override async *download(size: number) {
    for (let sent = 0; sent < size; sent += chunkSize) yield size - sent >= chunkSize ? patternChunk : patternChunk.subarray(0, size - sent);
  }

  override async upload(data: AsyncIterable<Uint8Array>) {
    let count = 0;
    for await (const chunk of data) count += chunk.length;
    return count;
  }

  override async ping(text: string) {
    return text;
  }

  override async *echo(data: AsyncIterable<Uint8Array>) {
    yield* data;
  }
}
