/** What an input stream tells its connection: stop reading, read again. */
export interface Flow {
  pause(): void;
  resume(): void;
}

/** Queued items at which the connection stops being read, and at which it is read again. */
const highWater = 16;
const lowWater = 4;

const finished: IteratorResult<unknown> = Object.freeze({ done: true, value: undefined });

/**
 * A WebSocket call's stream parameter, as the implementation iterates it: items (byte chunks or
 * decoded values) in the order their frames arrived. At most `highWater` wait unread: past that
 * the connection is paused, so a fast client is slowed by TCP rather than buffered. It ends at the
 * client's `end` frame, and fails when the call fails or the client goes away. An implementation
 * that stops iterating early is not sent the rest.
 */
export class InputStream implements AsyncIterableIterator<unknown> {
  readonly #flow: Flow;
  #queue: unknown[] = [];
  #head = 0;
  #paused = false;
  #ended = false;
  #failure: Error | undefined;
  /** Set when the implementation stopped iterating: what arrives later is dropped. */
  #abandoned = false;
  #waiting: { resolve: (result: IteratorResult<unknown>) => void; reject: (error: Error) => void } | undefined;

  constructor(flow: Flow) {
    this.#flow = flow;
  }

  /** Whether nothing more will be handed out: ended, failed or abandoned. */
  get closed(): boolean {
    return this.#ended || this.#failure !== undefined || this.#abandoned;
  }

  push(item: unknown): void {
    if (this.closed) return;
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      waiting.resolve({ done: false, value: item });
      return;
    }
    this.#queue.push(item);
    if (!this.#paused && this.#queue.length - this.#head >= highWater) {
      this.#paused = true;
      this.#flow.pause();
    }
  }

  end(): void {
    if (this.closed) return;
    this.#ended = true;
    if (this.#waiting !== undefined && this.#head === this.#queue.length) {
      this.#waiting.resolve(finished);
      this.#waiting = undefined;
    }
  }

  /** Fails the stream: the implementation's next read throws `error`; queued items are dropped. */
  fail(error: Error): void {
    if (this.closed) return;
    this.#failure = error;
    this.#drop();
    if (this.#waiting !== undefined) {
      this.#waiting.reject(error);
      this.#waiting = undefined;
    }
  }

  next(): Promise<IteratorResult<unknown>> {
    if (this.#head < this.#queue.length) {
      const value = this.#queue[this.#head];
      this.#queue[this.#head++] = undefined;
      if (this.#head === this.#queue.length) {
        this.#queue.length = 0;
        this.#head = 0;
      }
      if (this.#paused && this.#queue.length - this.#head <= lowWater) this.#resume();
      return Promise.resolve({ done: false, value });
    }
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#ended || this.#abandoned) return Promise.resolve(finished);
    if (this.#waiting !== undefined) return Promise.reject(new Error('the input stream is already being read'));
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  /** The implementation stopped iterating (`break`, or its `finally`). */
  return(): Promise<IteratorResult<unknown>> {
    if (!this.closed) {
      this.#abandoned = true;
      this.#drop();
    }
    return Promise.resolve(finished);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #drop(): void {
    this.#queue = [];
    this.#head = 0;
    if (this.#paused) this.#resume();
  }

  #resume(): void {
    this.#paused = false;
    this.#flow.resume();
  }
}
