import { MarshalError } from '@marshal/core/internal';
import type { Outcome } from './invoke.js';

/**
 * The deadlines of one endpoint's pending calls, kept by one timer rather than a timer per call:
 * arming and clearing a timer per call costs more than decoding a small JSON call does. A call is
 * put in the bucket of the time slot it starts in, and its place is emptied when it answers, so
 * no answered call is held; when a bucket has waited out the timeout, the calls still in it time
 * out. A call times out between `timeoutMs` and `timeoutMs + slot` after it started. Buckets are
 * plain arrays: a Set's add and delete per call made the JSON call's garbage collection cost double.
 */
export class Deadlines {
  readonly #label: string;
  readonly #timeoutMs: number;
  /** A ring of buckets, one per slot; the current one takes the calls that start now. */
  readonly #buckets: (Outcome | undefined)[][];
  #current = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #slotMs: number;
  readonly #tick = (): void => this.#advance();

  constructor(label: string, timeoutMs: number) {
    this.#label = label;
    this.#timeoutMs = timeoutMs;
    this.#slotMs = Math.max(1, Math.min(1000, Math.ceil(timeoutMs / 8)));
    // One more bucket than the timeout spans, so that a call is never timed out early.
    const slots = Math.ceil(timeoutMs / this.#slotMs) + 1;
    this.#buckets = Array.from({ length: slots + 1 }, () => []);
  }

  /** The bucket a call starting now goes into: push the call, and empty its place when it answers. */
  bucket(): (Outcome | undefined)[] {
    if (this.#timer === undefined) {
      this.#timer = setInterval(this.#tick, this.#slotMs);
      // Pending calls keep the process alive through their connections; the clock need not.
      this.#timer.unref();
    }
    return this.#buckets[this.#current];
  }

  #advance(): void {
    const buckets = this.#buckets;
    this.#current = (this.#current + 1) % buckets.length;
    // The bucket after the current one is the oldest: its calls have waited out the timeout.
    const oldest = (this.#current + 1) % buckets.length;
    const expired = buckets[oldest];
    buckets[oldest] = [];
    for (const outcome of expired) {
      if (outcome !== undefined) outcome.error(new MarshalError('MARSHAL_ERR_TIMEOUT', `${this.#label} did not answer within ${this.#timeoutMs} ms`));
    }
    if (buckets.every((bucket) => bucket.length === 0)) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
