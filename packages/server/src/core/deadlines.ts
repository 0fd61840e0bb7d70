import { MarshalError } from '@marshal/core/internal';
import type { Outcome } from './invoke.js';

/**
 * The deadlines of one endpoint's pending calls, kept by one timer rather than a timer per call:
 * arming and clearing a timer per call costs more than decoding a small JSON call does. Calls are
 * put in the bucket of the time slot they start in and taken out when they answer, so only
 * pending calls are held; when a bucket has waited out the timeout, the calls still in it time out.
 * A call times out between `timeoutMs` and `timeoutMs + slot` after it started.
 */
export class Deadlines {
  readonly #label: string;
  readonly #timeoutMs: number;
  readonly #slotMs: number;
  /** A ring of buckets, one per slot; the current one takes the calls that start now. */
  readonly #buckets: Set<Outcome>[];
  #current = 0;
  #pending = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #tick = (): void => this.#advance();

  constructor(label: string, timeoutMs: number) {
    this.#label = label;
    this.#timeoutMs = timeoutMs;
    this.#slotMs = Math.max(1, Math.min(1000, Math.ceil(timeoutMs / 8)));
    // One more bucket than the timeout spans, so that a call is never timed out early.
    const slots = Math.ceil(timeoutMs / this.#slotMs) + 1;
    this.#buckets = Array.from({ length: slots + 1 }, () => new Set<Outcome>());
  }

  /** Starts a call's clock; hand the returned bucket to `answered` when the call answers. */
  start(outcome: Outcome): Set<Outcome> {
    const bucket = this.#buckets[this.#current];
    bucket.add(outcome);
    this.#pending++;
    if (this.#timer === undefined) {
      this.#timer = setInterval(this.#tick, this.#slotMs);
      // Pending calls keep the process alive through their connections; the clock need not.
      this.#timer.unref();
    }
    return bucket;
  }

  answered(bucket: Set<Outcome>, outcome: Outcome): void {
    if (bucket.delete(outcome)) this.#pending--;
  }

  #advance(): void {
    const buckets = this.#buckets;
    this.#current = (this.#current + 1) % buckets.length;
    // The bucket after the current one is the oldest: its calls have waited out the timeout.
    const expired = buckets[(this.#current + 1) % buckets.length];
    if (expired.size > 0) {
      const outcomes = [...expired];
      expired.clear();
      this.#pending -= outcomes.length;
      for (const outcome of outcomes) outcome.error(new MarshalError('MARSHAL_ERR_TIMEOUT', `${this.#label} did not answer within ${this.#timeoutMs} ms`));
    }
    if (this.#pending === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
