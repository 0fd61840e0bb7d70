import { SerializationError, countedProblem, fail, prefixPath, setOnlyCounting, type PathSegment } from './serialization-error.js';

export interface SerializationIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
  /** For a value of the wrong kind: what it should have been (`an ISO-8601 date string`). */
  readonly expected?: string;
  /** For a value of the wrong kind: what came, as describeValue writes it (`42`), at most 100 characters. */
  readonly received?: string;
}

/** The problems of a value that failed to decode: the first ones with their paths, and how many more there were. */
export interface FoundIssues {
  readonly issues: SerializationIssue[];
  /** How many problems were found past those listed; they are counted, not described. */
  readonly omitted: number;
}

/**
 * Decoding stops at the first problem, which keeps the common path fast. To report every
 * problem, the failed value is decoded a second time with a collector: then each container
 * records its members' problems and carries on. Past `max` issues, problems are only counted
 * (setOnlyCounting): no issue, path or message is built for them, so a value with a problem in
 * each of 100,000 items costs little more than decoding it did.
 */
interface Collector {
  readonly path: PathSegment[];
  readonly issues: SerializationIssue[];
  readonly max: number;
  omitted: number;
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
    record(collector, error, collector.path);
    return undefined;
  } finally {
    collector.path.pop();
  }
}

/** Lists the problem under `path` (followed by the error's own path), or counts it once `max` are listed. */
function record(collector: Collector, error: SerializationError, path: readonly PathSegment[]): void {
  if (error === countedProblem || collector.issues.length >= collector.max) {
    collector.omitted++;
    return;
  }
  const issue: { -readonly [K in keyof SerializationIssue]: SerializationIssue[K] } = { path: [...path, ...error.path], message: error.problem };
  if (error.expected !== undefined) issue.expected = error.expected;
  if (error.received !== undefined) issue.received = error.received;
  collector.issues.push(issue);
  if (collector.issues.length >= collector.max) setOnlyCounting(true);
}

/**
 * While collecting, within atMember's step: records `problem` at the member under way as a thrown
 * SerializationError would be, or only counts it past the cap, without the cost of a throw.
 */
export function recordProblem(problem: string): void {
  const collector = activeCollector;
  if (collector === null) fail(problem);
  if (collector.issues.length >= collector.max) collector.omitted++;
  else record(collector, new SerializationError(problem), collector.path);
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

/**
 * Decodes `json` with `decode`, collecting every problem instead of stopping at the first: the
 * first `max` with their paths, the rest only counted.
 */
export function collectIssues(decode: (json: unknown) => unknown, json: unknown, max: number): FoundIssues {
  const previous = activeCollector;
  const collector: Collector = { path: [], issues: [], max, omitted: 0 };
  activeCollector = collector;
  const wasCounting = setOnlyCounting(max <= 0);
  try {
    decode(json);
  } catch (error) {
    if (!(error instanceof SerializationError)) throw error;
    record(collector, error, []);
  } finally {
    activeCollector = previous;
    setOnlyCounting(wasCounting);
  }
  return { issues: collector.issues, omitted: collector.omitted };
}

/**
 * Runs `step` stopping at its first problem even while collecting: for a trial decode (one
 * option of a union) whose problems are not the value's own.
 */
export function withoutCollecting<T>(step: () => T): T {
  const previous = activeCollector;
  activeCollector = null;
  const wasCounting = setOnlyCounting(false);
  try {
    return step();
  } finally {
    activeCollector = previous;
    setOnlyCounting(wasCounting);
  }
}
