import { describeValue } from './descriptor.js';
import { SerializationError, type PathSegment } from './serialization-error.js';

/** Bounds on what one decode may build; a server sets its own, the defaults apply elsewhere. */
export interface DecodeLimits {
  /** Containers (objects, arrays) nested deeper than this are refused. */
  readonly maxDepth: number;
  /** Arrays, sets, records and maps with more entries than this are refused. */
  readonly maxItems: number;
}

export const defaultDecodeLimits: DecodeLimits = Object.freeze({ maxDepth: 64, maxItems: 100_000 });

export interface SerializationIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

export function fail(expected: string, got: unknown): never {
  throw new SerializationError(`expected ${expected}, got ${describeValue(got)}`);
}

/**
 * Decoding stops at the first problem, which keeps the common path fast. To report every
 * problem, the failed value is decoded a second time with a collector: then each container
 * records its members' problems and carries on.
 */
interface Collector {
  readonly path: PathSegment[];
  readonly issues: SerializationIssue[];
}

let collector: Collector | null = null;
let depth = 0;

export function isCollecting(): boolean {
  return collector !== null;
}

/** Runs one member's step: adds the member's key to an error's path, or, while collecting, records it and goes on. */
export function at<T>(segment: PathSegment, step: () => T): T | undefined {
  if (collector === null) {
    try {
      return step();
    } catch (error) {
      throw within(error, segment);
    }
  }
  const active = collector;
  active.path.push(segment);
  try {
    return step();
  } catch (error) {
    if (!(error instanceof SerializationError)) throw error;
    active.issues.push({ path: [...active.path, ...error.path], message: error.problem });
    return undefined;
  } finally {
    active.path.pop();
  }
}

/** The error with `segment` in front of its path, if it is a SerializationError. */
export function within(error: unknown, segment: PathSegment): unknown {
  return error instanceof SerializationError ? error.within(segment) : error;
}

/** Maps an array element by element; errors name the index. */
export function mapItems(items: readonly unknown[], transform: (item: unknown) => unknown): unknown[] {
  const out = new Array(items.length);
  if (collector !== null) {
    for (let i = 0; i < items.length; i++) out[i] = at(i, () => transform(items[i]));
    return out;
  }
  // One try around the loop instead of one closure per element.
  let i = 0;
  try {
    for (; i < items.length; i++) out[i] = transform(items[i]);
  } catch (error) {
    throw within(error, i);
  }
  return out;
}

/** mapItems for a transform that gives back each item itself: the items are checked, and the array returned as it is. */
export function checkItems(items: readonly unknown[], check: (item: unknown) => unknown): readonly unknown[] {
  if (collector !== null) {
    for (let i = 0; i < items.length; i++) at(i, () => check(items[i]));
    return items;
  }
  let i = 0;
  try {
    for (; i < items.length; i++) check(items[i]);
  } catch (error) {
    throw within(error, i);
  }
  return items;
}

/** Decodes `json` with `decode`, collecting every problem instead of stopping at the first. */
export function collectIssues(decode: (json: unknown) => unknown, json: unknown): SerializationIssue[] {
  const previous = collector;
  collector = { path: [], issues: [] };
  const active = collector;
  try {
    decode(json);
  } catch (error) {
    if (!(error instanceof SerializationError)) throw error;
    active.issues.push({ path: error.path, message: error.problem });
  } finally {
    collector = previous;
  }
  return active.issues;
}

/** Runs a trial decode (one option of a union) that must not record problems of its own. */
export function attempt<T>(step: () => T): T {
  const previous = collector;
  collector = null;
  try {
    return step();
  } finally {
    collector = previous;
  }
}

/** Counts one level of nesting for the duration of `step`. */
export function nested<T>(limits: DecodeLimits, step: () => T): T {
  enterNested(limits);
  try {
    return step();
  } finally {
    leaveNested();
  }
}

/** nested() without a closure, for the hot paths: enterNested, then leaveNested in a finally. */
export function enterNested(limits: DecodeLimits): void {
  if (depth >= limits.maxDepth) throw new SerializationError(`nested deeper than the limit of ${limits.maxDepth} levels`);
  depth++;
}

export function leaveNested(): void {
  depth--;
}

export function checkCount(count: number, limits: DecodeLimits): void {
  if (count > limits.maxItems) throw new SerializationError(`has ${count} entries, more than the limit of ${limits.maxItems}`);
}
