/**
 * A contract for the fault tests of files and streams over HTTP (test/e2e/files-server.test.ts):
 * file and multipart endpoints that count their calls, an upload that records how its iterable
 * ended, streamed results that fail before or after their first item, an endless download that
 * counts the chunks it has produced and records its `finally`, and streams that wait for the test
 * between their first and last item. Each call names its own record (`id`), so the tests of one
 * file do not share state.
 */
import { Bytes, Int, JsonObject, MarshalError, endpoint, field, optional, service, stream, unimplemented } from '@marshal/core';

/** A promise with its resolve function, for waiting on an event rather than a time. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
  settled: boolean;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  const result: Deferred<T> = {
    promise,
    resolve: (value) => {
      result.settled = true;
      resolve(value);
    },
    settled: false,
  };
  return result;
}

export class Item {
  @field(Int) n!: number;
}

/** The size of each chunk of the endless download. */
export const chunkSize = 64 * 1024;

@service({ name: 'file-faults' })
export class IFileFaults {
  @endpoint({ params: [['file', Bytes]], returns: Int })
  single(file: Uint8Array): Promise<number> {
    return unimplemented();
  }

  @endpoint({ params: [['name', String], ['file', Bytes]], returns: Int, forceJsonParams: true })
  withJson(name: string, file: Uint8Array): Promise<number> {
    return unimplemented();
  }

  @endpoint({ params: [['tag', String], ['a', Bytes], ['b', optional(Bytes)]], returns: JsonObject, forceJsonParams: true })
  twoFiles(tag: string, a: Uint8Array, b?: Uint8Array): Promise<JsonObject> {
    return unimplemented();
  }

  @endpoint({ params: [['id', String], ['file', stream(Bytes)]], returns: Int })
  upload(id: string, file: AsyncIterable<Uint8Array>): Promise<number> {
    return unimplemented();
  }

  /** `when`: `before` fails before the first item, `after` after it; `refuse` throws a MarshalError before it. */
  @endpoint({ params: [['when', String]], returns: stream(String) })
  failingLines(when: string): AsyncIterable<string> {
    return unimplemented();
  }

  @endpoint({ params: [['when', String]], returns: stream(Bytes) })
  failingBytes(when: string): AsyncIterable<Uint8Array> {
    return unimplemented();
  }

  @endpoint({ params: [['when', String]], returns: stream(Item) })
  failingItems(when: string): AsyncIterable<Item> {
    return unimplemented();
  }

  /** The first item does not fit its type: a line with a line break, or a string for bytes. */
  @endpoint({ params: [], returns: stream(String) })
  badFirstLine(): AsyncIterable<string> {
    return unimplemented();
  }

  @endpoint({ params: [], returns: stream(Bytes) })
  badFirstChunk(): AsyncIterable<Uint8Array> {
    return unimplemented();
  }

  @endpoint({ params: [['id', String]], returns: stream(Bytes) })
  endless(id: string): AsyncIterable<Uint8Array> {
    return unimplemented();
  }

  @endpoint({ params: [['id', String]], returns: stream(String) })
  gatedLines(id: string): AsyncIterable<string> {
    return unimplemented();
  }

  @endpoint({ params: [['id', String]], returns: stream(Item) })
  gatedItems(id: string): AsyncIterable<Item> {
    return unimplemented();
  }
}

/** What one call named `id` did. */
export class CallRecord {
  /** Chunks (or items) produced so far. */
  produced = 0;
  /** Bytes of an upload received so far. */
  received = 0;
  /** Resolved when the first upload chunk has arrived, or the first streamed item has been produced. */
  readonly started = deferred();
  /** Resolved when the generator's `finally` has run. */
  readonly finished = deferred();
  /** Resolved with what the upload iterable threw (undefined when it ended normally). */
  readonly uploadEnded = deferred<unknown>();
  /** A gated stream yields its last item once the test resolves this. */
  readonly gate = deferred();
}

const item = (n: number) => Object.assign(new Item(), { n });

export class FileFaults extends IFileFaults {
  /** Calls that reached the implementation, by endpoint. */
  readonly calls = { single: 0, withJson: 0, twoFiles: 0, upload: 0 };
  readonly records = new Map<string, CallRecord>();

  record(id: string): CallRecord {
    let record = this.records.get(id);
    if (record === undefined) this.records.set(id, (record = new CallRecord()));
    return record;
  }

  override async single(file: Uint8Array) {
    this.calls.single++;
    return file.length;
  }

  override async withJson(_name: string, file: Uint8Array) {
    this.calls.withJson++;
    return file.length;
  }

  override async twoFiles(tag: string, a: Uint8Array, b?: Uint8Array) {
    this.calls.twoFiles++;
    return { tag, a: a.length, b: b === undefined ? 'absent' : b.length };
  }

  override async upload(id: string, file: AsyncIterable<Uint8Array>) {
    this.calls.upload++;
    const record = this.record(id);
    try {
      for await (const chunk of file) {
        record.received += chunk.length;
        record.started.resolve();
      }
    } catch (error) {
      record.uploadEnded.resolve(error);
      throw error;
    }
    record.uploadEnded.resolve(undefined);
    return record.received;
  }

  override async *failingLines(when: string) {
    if (when === 'refuse') throw new MarshalError('MARSHAL_ERR_NOT_FOUND', 'nothing to stream');
    if (when === 'before') throw new Error('failed before the first line');
    yield 'one';
    throw new Error('failed after the first line');
  }

  override async *failingBytes(when: string) {
    if (when === 'before') throw new Error('failed before the first chunk');
    yield new TextEncoder().encode('one');
    throw new Error('failed after the first chunk');
  }

  override async *failingItems(when: string) {
    if (when === 'before') throw new Error('failed before the first item');
    yield item(1);
    throw new MarshalError('MARSHAL_ERR_CONFLICT', 'the items changed under the stream');
  }

  override async *badFirstLine() {
    yield 'two\nlines';
  }

  override async *badFirstChunk() {
    yield 'not bytes' as unknown as Uint8Array;
  }

  override async *endless(id: string) {
    const record = this.record(id);
    try {
      for (;;) {
        const chunk = new Uint8Array(chunkSize).fill(record.produced % 256);
        record.produced++;
        record.started.resolve();
        yield chunk;
      }
    } finally {
      record.finished.resolve();
    }
  }

  override async *gatedLines(id: string) {
    const record = this.record(id);
    record.produced++;
    yield 'first';
    await record.gate.promise;
    record.produced++;
    yield 'last';
  }

  override async *gatedItems(id: string) {
    const record = this.record(id);
    record.produced++;
    yield item(1);
    await record.gate.promise;
    record.produced++;
    yield item(2);
  }
}
