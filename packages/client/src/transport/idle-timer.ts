/**
 * Aborts a call after `ms` without progress; touch() is progress. One timer per call, re-armed
 * only when it fires, so that progress costs a clock read rather than a new timer.
 */
export class IdleTimer {
  #last = Date.now();
  #handle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly ms: number,
    readonly controller: AbortController,
  ) {
    this.#handle = setTimeout(() => this.#check(), ms);
  }

  touch(): void {
    this.#last = Date.now();
  }

  stop(): void {
    clearTimeout(this.#handle);
    this.#handle = undefined;
  }

  #check(): void {
    if (this.#handle === undefined) return;
    const idle = Date.now() - this.#last;
    if (idle < this.ms) {
      this.#handle = setTimeout(() => this.#check(), this.ms - idle);
      return;
    }
    this.#handle = undefined;
    this.controller.abort(new DOMException(`no progress for ${this.ms} ms`, 'TimeoutError'));
  }
}
