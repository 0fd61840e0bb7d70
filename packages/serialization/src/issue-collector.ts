import { SerializationError, prefixPath, type PathSegment } from './serialization-error.js';

export interface SerializationIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
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

/**
 * Module-global: the collector of the decode under way, or null when it stops at the first
 * problem. Only collectIssues sets one, and withoutCollecting hides it; decoding is synchronous.
 */
let activeCollector: Collector | null = null;

/** Whether the decode under way records every problem (see collectIssues). */
export function isCollecting(): boolean {
  return activeCollector !== null;
}

/**
 * Runs the step of one member of a container (an index or a key): its error gets the member in
 * front of its path, or, while collecting, is recorded under that path, and undefined is returned.
 */
export function atMember<T>(segment: PathSegment, step: () => T): T | undefined {
  const collector = activeCollector;
  if (collector === null) {
    try {
      return step();
    } catch (error) {
      throw prefixPath(error, segment);
    }
  }
  collector.path.push(segment);
  try {
    return step();
  } catch (error) {
    if (!(error instanceof SerializationError)) throw error;
    collector.issues.push({ path: [...collector.path, ...error.path], message: error.problem });
    return undefined;
  } finally {
    collector.path.pop();
  }
}

/** Maps an array element by element; errors name the index. */
export function mapItems(items: readonly unknown[], transform: (item: unknown) => unknown): unknown[] {
  const out = new Array(items.length);
  if (activeCollector !== null) {
    for (let i = 0; i < items.length; i++) out[i] = atMember(i, () => transform(items[i]));
    return out;
  }
  // One try around the loop instead of one closure per element.
  let i = 0;
  try {
    for (; i < items.length; i++) out[i] = transform(items[i]);
  } catch (error) {
    throw prefixPath(error, i);
  }
  return out;
}

/** mapItems for a transform that gives back each item itself: the items are checked, and the array returned as it is. */
export function checkItems(items: readonly unknown[], check: (item: unknown) => unknown): readonly unknown[] {
  if (activeCollector !== null) {
    for (let i = 0; i < items.length; i++) atMember(i, () => check(items[i]));
    return items;
  }
  let i = 0;
  try {
    for (; i < items.length; i++) check(items[i]);
  } catch (error) {
    throw prefixPath(error, i);
  }
  return items;
}

/** Decodes `json` with `decode`, collecting every problem instead of stopping at the first. */
export function collectIssues(decode: (json: unknown) => unknown, json: unknown): SerializationIssue[] {
  const previous = activeCollector;
  const collector: Collector = { path: [], issues: [] };
  activeCollector = collector;
  try {
    decode(json);
  } catch (error) {
    if (!(error instanceof SerializationError)) throw error;
    collector.issues.push({ path: error.path, message: error.problem });
  } finally {
    activeCollector = previous;
  }
  return collector.issues;
}

/**
 * Runs `step` stopping at its first problem even while collecting: for a trial decode (one
 * option of a union) whose problems are not the value's own.
 */
export function withoutCollecting<T>(step: () => T): T {
  const previous = activeCollector;
  activeCollector = null;
  try {
    return step();
  } finally {
    activeCollector = previous;
  }
}
