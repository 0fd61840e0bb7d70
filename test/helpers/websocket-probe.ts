/**
 * A contract for the client's WebSocket tests: every result form (JSON, Void, bytes, a byte
 * stream, text lines, DTO items with a date), every input form (a file, files beside JSON
 * arguments, a byte stream, a stream of DTOs), path and query parameters, a duplex echo, streams
 * that fail mid-way, and streams that wait on a gate the test holds and record when their
 * `finally` runs. In the test's own process the test reads the records (`probeRun(id)`); in a
 * child process (websocket-probe-server.ts) the gates never open.
 */
import { createHash } from 'node:crypto';
import { Bytes, Int, Void, field, optional, service, stream, unimplemented, websocket } from '@marshal/core';
import { probeRun } from './stream-probe.js';

export class Sample {
  @field(Int) index!: number;
  @field(Date) at!: Date;
  @field(String) label!: string;
}

export function digestOf(bytes: Uint8Array): string {
  return `${bytes.length}:${createHash('sha256').update(bytes).digest('hex')}`;
}

@service({ name: 'ws-probe' })
export class IWebSocketProbe {
  /** Path (`name`, `times`) and query (`suffix`) parameters; a JSON result. */
  @websocket({ params: [['name', String], ['times', Int], ['suffix', optional(String)]], returns: String })
  greet(name: string, times: number, suffix?: string): Promise<string> {
    return unimplemented();
  }

  /** A Void result: records that it ran. */
  @websocket({ params: [['run', String]], returns: Void })
  touch(run: string): Promise<void> {
    return unimplemented();
  }

  /** `size` bytes, i % 251. */
  @websocket({ params: [['size', Int]], returns: Bytes })
  bytes_of(size: number): Promise<Uint8Array> {
    return unimplemented();
  }

  /** `count` chunks of `size` bytes, chunk i filled with i % 256. */
  @websocket({ params: [['count', Int], ['size', Int]], returns: stream(Bytes) })
  chunks(count: number, size: number): AsyncIterable<Uint8Array> {
    return unimplemented();
  }

  /** `line 0` … `line <count-1>`. */
  @websocket({ params: [['count', Int]], returns: stream(String) })
  lines(count: number): AsyncIterable<string> {
    return unimplemented();
  }

  /** `count` samples, a second apart from `start`. */
  @websocket({ params: [['start', Date], ['count', Int]], returns: stream(Sample) })
  samples(start: Date, count: number): AsyncIterable<Sample> {
    return unimplemented();
  }

  @websocket({ params: [['file', Bytes]], returns: String })
  digest(file: Uint8Array): Promise<string> {
    return unimplemented();
  }

  /** JSON arguments and two files, the second optional. */
  @websocket({ params: [['label', String], ['first', Bytes], ['second', optional(Bytes)], ['tags', [String]]], returns: [String], forceJsonParams: true })
  digest_parts(label: string, first: Uint8Array, second: Uint8Array | undefined, tags: string[]): Promise<string[]> {
    return unimplemented();
  }

  /** A byte stream's length and digest, once it has all come. */
  @websocket({ params: [['file', stream(Bytes)]], returns: String })
  digest_stream(file: AsyncIterable<Uint8Array>): Promise<string> {
    return unimplemented();
  }

  /** A stream of DTOs in, a single result out: their labels joined, and the latest date. */
  @websocket({ params: [['samples', stream(Sample)]], returns: Sample })
  merge(samples: AsyncIterable<Sample>): Promise<Sample> {
    return unimplemented();
  }

  /** Each word back with the prefix as soon as it arrives (full duplex). */
  @websocket({ params: [['prefix', String], ['words', stream(String)]], returns: stream(String), forceJsonParams: true })
  echo(prefix: string, words: AsyncIterable<string>): AsyncIterable<string> {
    return unimplemented();
  }

  /** `item 0`, then after the run's gate opens `item 1`, `item 2`, … without end. */
  @websocket({ params: [['run', String]], returns: stream(String) })
  endless(run: string): AsyncIterable<string> {
    return unimplemented();
  }

  /** Waits on the run's gate, then answers 'released'. */
  @websocket({ params: [['run', String]], returns: String })
  held(run: string): Promise<string> {
    return unimplemented();
  }

  /** `count` lines, then a throw. */
  @websocket({ params: [['count', Int]], returns: stream(String) })
  failing(count: number): AsyncIterable<string> {
    return unimplemented();
  }
}

export class WebSocketProbe extends IWebSocketProbe {
  override async greet(name: string, times: number, suffix?: string) {
    return `${Array.from({ length: times }, () => `hello ${name}`).join(', ')}${suffix ?? ''}`;
  }

  override async touch(run: string) {
    probeRun(run).gate.resolve();
  }

  override async bytes_of(size: number) {
    return new Uint8Array(size).map((_, i) => i % 251);
  }

  override async *chunks(count: number, size: number) {
    for (let i = 0; i < count; i++) yield new Uint8Array(size).fill(i % 256);
  }

  override async *lines(count: number) {
    for (let i = 0; i < count; i++) yield `line ${i}`;
  }

  override async *samples(start: Date, count: number) {
    for (let i = 0; i < count; i++) yield Object.assign(new Sample(), { index: i, at: new Date(start.getTime() + i * 1000), label: `s${i}` });
  }

  override async digest(file: Uint8Array) {
    return digestOf(file);
  }

  override async digest_parts(label: string, first: Uint8Array, second: Uint8Array | undefined, tags: string[]) {
    return [label, digestOf(first), second === undefined ? 'absent' : digestOf(second), tags.join('+')];
  }

  override async digest_stream(file: AsyncIterable<Uint8Array>) {
    const hash = createHash('sha256');
    let length = 0;
    for await (const chunk of file) {
      hash.update(chunk);
      length += chunk.length;
    }
    return `${length}:${hash.digest('hex')}`;
  }

  override async merge(samples: AsyncIterable<Sample>) {
    const merged = Object.assign(new Sample(), { index: 0, at: new Date(0), label: '' });
    for await (const sample of samples) {
      if (!(sample instanceof Sample) || !(sample.at instanceof Date)) throw new Error('an item was not decoded as a Sample with a Date');
      merged.index++;
      merged.label += sample.label;
      if (sample.at > merged.at) merged.at = sample.at;
    }
    return merged;
  }

  override async *echo(prefix: string, words: AsyncIterable<string>) {
    for await (const word of words) yield `${prefix}${word}`;
  }

  override async *endless(run: string) {
    const state = probeRun(run);
    try {
      for (let i = 0; ; i++) {
        state.yielded++;
        yield `item ${i}`;
        await state.gate.promise;
      }
    } finally {
      state.finallyRan.resolve();
    }
  }

  override async held(run: string) {
    await probeRun(run).gate.promise;
    return 'released';
  }

  override async *failing(count: number) {
    for (let i = 0; i < count; i++) yield `line ${i}`;
    throw new Error('the line source broke');
  }
}
