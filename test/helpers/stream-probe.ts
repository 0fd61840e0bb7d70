/**
 * A contract for the client's file and stream tests, beside the example file service: uploads
 * whose bytes come back as a digest (so a test sees what arrived, not only how much), streamed
 * results that wait on a latch the test holds and record when their `finally` runs, and streams
 * that fail before or after their first item. The server runs in the test's own process, so the
 * test reads the implementation's records (`probeRun(id)`) directly.
 */
import { createHash } from 'node:crypto';
import { Bytes, Int, endpoint, field, optional, service, stream, unimplemented } from '@marshal/core';

/** A promise and its resolve, to wait on something another party does. */
export class Latch<T = void> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  settled = false;

  constructor() {
    this.promise = new Promise<T>((resolve) => {
      this.resolve = (value) => {
        this.settled = true;
        resolve(value);
      };
    });
  }
}

/** What one run (a test's own id) of a probe endpoint did, and the gate it waits on. */
export class ProbeRun {
  /** Released by the test: the streamed result waits on it after its first item. */
  readonly gate = new Latch();
  /** The streamed result's `finally` ran. */
  readonly finallyRan = new Latch();
  /** The upload's first chunk arrived. */
  readonly firstChunk = new Latch();
  /** What the upload's iterable threw. */
  readonly uploadFailed = new Latch<unknown>();
  /** Items the streamed result has yielded. */
  yielded = 0;
}

const runs = new Map<string, ProbeRun>();

export function probeRun(id: string): ProbeRun {
  let run = runs.get(id);
  if (run === undefined) runs.set(id, (run = new ProbeRun()));
  return run;
}

export class Reading {
  @field(Int) value!: number;
  @field(String) unit!: string;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

@service({ name: 'stream-probe' })
export class IStreamProbe {
  @endpoint({ params: [['file', Bytes]], returns: String })
  digest(file: Uint8Array): Promise<string> {
    return unimplemented();
  }

  @endpoint({ params: [['label', String], ['first', Bytes], ['second', optional(Bytes)]], returns: [String], forceJsonParams: true })
  digest_parts(label: string, first: Uint8Array, second?: Uint8Array): Promise<string[]> {
    return unimplemented();
  }

  @endpoint({ params: [['file', stream(Bytes)]], returns: String })
  digest_stream(file: AsyncIterable<Uint8Array>): Promise<string> {
    return unimplemented();
  }

  /** Reads the upload until the client goes away: records the first chunk and what the iterable throws. */
  @endpoint({ params: [['run', String], ['file', stream(Bytes)]], returns: Int })
  held_upload(run: string, file: AsyncIterable<Uint8Array>): Promise<number> {
    return unimplemented();
  }

  /** `item 0`, then after the run's gate opens `item 1`, `item 2`, … without end. */
  @endpoint({ params: [['run', String]], returns: stream(String) })
  endless(run: string): AsyncIterable<string> {
    return unimplemented();
  }

  /** The same as bytes. */
  @endpoint({ params: [['run', String]], returns: stream(Bytes) })
  endless_bytes(run: string): AsyncIterable<Uint8Array> {
    return unimplemented();
  }

  /** `count` items, then a throw (at once when count is 0). */
  @endpoint({ params: [['count', Int]], returns: stream(String) })
  failing_lines(count: number): AsyncIterable<string> {
    return unimplemented();
  }

  @endpoint({ params: [['count', Int]], returns: stream(Reading) })
  failing_readings(count: number): AsyncIterable<Reading> {
    return unimplemented();
  }

  @endpoint({ params: [['count', Int]], returns: stream(Bytes) })
  failing_bytes(count: number): AsyncIterable<Uint8Array> {
    return unimplemented();
  }

  @endpoint({ params: [['size', Int]], returns: Bytes })
  bytes_of(size: number): Promise<Uint8Array> {
    return unimplemented();
  }
}

export class StreamProbe extends IStreamProbe {
  override async digest(file: Uint8Array) {
    return `${file.length}:${sha256(file)}`;
  }

  override async digest_parts(label: string, first: Uint8Array, second?: Uint8Array) {
    return [label, `${first.length}:${sha256(first)}`, second === undefined ? 'absent' : `${second.length}:${sha256(second)}`];
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

  override async held_upload(run: string, file: AsyncIterable<Uint8Array>) {
    const state = probeRun(run);
    let length = 0;
    try {
      for await (const chunk of file) {
        length += chunk.length;
        state.firstChunk.resolve();
      }
    } catch (error) {
      state.uploadFailed.resolve(error);
      throw error;
    }
    return length;
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

  override async *endless_bytes(run: string) {
    const state = probeRun(run);
    try {
      for (let i = 0; ; i++) {
        state.yielded++;
        yield new Uint8Array(1000).fill(i % 256);
        await state.gate.promise;
      }
    } finally {
      state.finallyRan.resolve();
    }
  }

  override async *failing_lines(count: number) {
    for (let i = 0; i < count; i++) yield `line ${i}`;
    throw new Error('the line source broke');
  }

  override async *failing_readings(count: number) {
    for (let i = 0; i < count; i++) yield Object.assign(new Reading(), { value: i, unit: 'mm' });
    throw new Error('the sensor broke');
  }

  override async *failing_bytes(count: number) {
    for (let i = 0; i < count; i++) yield new Uint8Array([i, i, i]);
    throw new Error('the byte source broke');
  }

  override async bytes_of(size: number) {
    return new Uint8Array(size).map((_, i) => i % 251);
  }
}
