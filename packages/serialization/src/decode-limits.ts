import { fail } from './serialization-error.js';

/** Bounds on what one decode may build; a server sets its own, the defaults apply elsewhere. */
export interface DecodeLimits {
  /** Containers (objects, arrays) nested deeper than this are refused. */
  readonly maxDepth: number;
  /** Arrays, sets, records and maps with more entries than this are refused. */
  readonly maxItems: number;
  /**
   * Problems listed, with their paths, for a value that failed to decode (issuesOf); past them,
   * problems are only counted.
   */
  readonly maxIssues: number;
}

export const defaultDecodeLimits: DecodeLimits = Object.freeze({ maxDepth: 64, maxItems: 100_000, maxIssues: 100 });

/**
 * Module-global: how many containers deep the decode under way is. Decoding is synchronous, so
 * one counter serves every codec; each enterContainer is paired with a leaveContainer in a finally.
 */
let containerDepth = 0;

/** Counts one more container in the decode under way, refusing one nested deeper than `limits.maxDepth`. */
export function enterContainer(limits: DecodeLimits): void {
  if (containerDepth >= limits.maxDepth) fail(`nested deeper than the limit of ${limits.maxDepth} levels`);
  containerDepth++;
}

export function leaveContainer(): void {
  containerDepth--;
}

/** Runs `step` counted as one container deeper: enterContainer/leaveContainer around a closure, off the hot paths. */
export function insideContainer<T>(limits: DecodeLimits, step: () => T): T {
  enterContainer(limits);
  try {
    return step();
  } finally {
    leaveContainer();
  }
}

/** Refuses a container with more entries than `limits.maxItems`. */
export function checkEntryCount(count: number, limits: DecodeLimits): void {
  if (count > limits.maxItems) fail(`has ${count} entries, more than the limit of ${limits.maxItems}`);
}
