/**
 * A WebSocket contract for the server's stress tests: an endless stream and an upload that waits
 * (backpressure both ways), streams that wait on a gate the test holds and record when their
 * `finally` runs (disconnects, stopping), failures before and mid-stream, a result that never
 * comes (the call timeout), files, and a stream of values. The server runs in the test's process,
 * so tests read the records (`pressureRun(id)`) directly.
 */
import { Bytes, Int, field, optional, service, stream, unimplemented, websocket } from '@marshal/core';
import { Latch } from './stream-probe.js';

export const chunkSize = 64 * 1024;

export class PressureRun {
  readonly started = new Latch();
  /** Released by the test. */
  readonly gate = new Latch();
  readonly finallyRan = new Latch();
  /** What the input stream threw, if it did. */
  readonly inputFailed = new Latch<unknown>();
  produced = 0;
  consumed = 0;
}

const runs = new Map<string, PressureRun>();

export function pressureRun(id: string): PressureRun {
  let run = runs.get(id);
  if (run === undefined) runs.set(id, (run = new PressureRun()));
  return run;
}

export class Note {
  @field(String) name!: string;
  @field(Int) size!: number;
}

@service({ name: 'pressure' })
export class IPressure {
  @websocket({ params: [['id', String]], returns: stream(Bytes) })
  endless(id: string): AsyncIterable<Uint8Array> { return unimplemented(); }

  @websocket({ params: [['id', String], ['data', stream(Bytes)]], returns: Int })
  slow_sink(id: string, data: AsyncIterable<Uint8Array>): Promise<number> { return unimplemented(); }

  @websocket({ params: [['id', String]], returns: stream(String) })
  gated(id: string): AsyncIterable<string> { return unimplemented(); }

  @websocket({ params: [['id', String], ['data', stream(Bytes)]], returns: stream(String) })
  echo_chunks(id: string, data: AsyncIterable<Uint8Array>): AsyncIterable<string> { return unimplemented(); }

  @websocket({ params: [['values', stream(Int)]], returns: Int })
  sum(values: AsyncIterable<number>): Promise<number> { return unimplemented(); }

  @websocket({ params: [['label', String], ['first', Bytes], ['second', optional(Bytes)]], returns: [Note], forceJsonParams: true })
  files(label: string, first: Uint8Array, second?: Uint8Array): Promise<Note[]> { return unimplemented(); }

  @websocket({ params: [['before', Boolean]], returns: stream(String) })
  fails(before: boolean): AsyncIterable<string> { return unimplemented(); }

  @websocket({ params: [], returns: Int, timeoutMs: 100 })
  never(): Promise<number> { return unimplemented(); }

  @websocket({ params: [['n', Int]], returns: stream(String) })
  count(n: number): AsyncIterable<string> { return unimplemented(); }
}

export class Pressure extends IPressure {
  override async *endless(id: string) {
    const run = pressureRun(id);
    run.started.resolve();
    try {
      for (;;) {
        run.produced++;
        yield new Uint8Array(chunkSize);
      }
    } finally {
      run.finallyRan.resolve();
    }
  }

  override async slow_sink(id: string, data: AsyncIterable<Uint8Array>) {
    const run = pressureRun(id);
    let total = 0;
    for await (const chunk of data) {
      total += chunk.length;
      run.consumed = total;
      if (!run.started.settled) {
        run.started.resolve();
        await run.gate.promise;
      }
    }
    return total;
  }

  override async *gated(id: string) {
    const run = pressureRun(id);
    try {
      yield 'first';
      run.started.resolve();
      await run.gate.promise;
      yield 'last';
    } finally {
      run.finallyRan.resolve();
    }
  }

  override async *echo_chunks(id: string, data: AsyncIterable<Uint8Array>) {
    const run = pressureRun(id);
    try {
      for await (const chunk of data) yield `${chunk.length}`;
    } catch (error) {
      run.inputFailed.resolve(error);
      throw error;
    } finally {
      run.finallyRan.resolve();
    }
  }

  override async sum(values: AsyncIterable<number>) {
    let total = 0;
    for await (const value of values) total += value;
    return total;
  }

  override async files(label: string, first: Uint8Array, second?: Uint8Array) {
    const note = (name: string, bytes: Uint8Array) => Object.assign(new Note(), { name, size: bytes.length });
    return second === undefined ? [note(label, first)] : [note(label, first), note('second', second)];
  }

  override async *fails(before: boolean) {
    if (before) throw new Error('failed before the first item');
    yield 'one';
    throw new Error('failed mid-stream');
  }

  override never() {
    return new Promise<number>(() => {});
  }

  override async *count(n: number) {
    for (let i = 0; i < n; i++) yield `item ${i}`;
  }
}
