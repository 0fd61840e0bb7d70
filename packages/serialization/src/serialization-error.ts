import { describeValue } from './descriptor.js';

export type PathSegment = string | number;

/** What a value of the wrong kind was expected to be, and what came instead: a SerializationError's and an issue's `expected`/`received`. */
export interface Mismatch {
  /** What the value should have been: `an ISO-8601 date string`, `a string of at most 12 characters`. */
  readonly expected: string;
  /** What came instead, as describeValue writes it (`42`, `"soon"`, `an object`): at most `receivedLimit` characters. */
  readonly received: string;
}

/** The longest `received` text an error carries. */
export const receivedLimit = 100;

/**
 * A value that does not fit its descriptor. `path` locates the offending part (data[3].when);
 * codecs add segments as the error travels up, so the success path never builds paths.
 */
export class SerializationError extends Error {
  override name = 'SerializationError';
  readonly path: PathSegment[];
  readonly problem: string;
  /** Set when the value was of the wrong kind (refuse()); undefined for other problems (a missing field, a limit). */
  readonly expected: string | undefined;
  readonly received: string | undefined;

  constructor(problem: string, path: PathSegment[] = [], mismatch?: Mismatch) {
    super(problem);
    this.problem = problem;
    this.path = path;
    this.expected = mismatch?.expected;
    this.received = mismatch?.received;
    this.message = this.render();
  }

  /** Adds a segment in front of the path, for a parent container to call while the error passes it. */
  prefixPath(segment: PathSegment): this {
    // The shared error of counted problems (below) has no path of its own.
    if (this === countedProblem) return this;
    this.path.unshift(segment);
    this.message = this.render();
    return this;
  }

  /** The path as text: `data[3].when`, or '' at the root. */
  get pathText(): string {
    return formatPath(this.path);
  }

  private render(): string {
    const at = formatPath(this.path);
    return at ? `${at}: ${this.problem}` : this.problem;
  }
}

export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/**
 * The one error thrown for every problem of a decode that only counts (see setOnlyCounting): built
 * once, so a problem past the issues listed costs no message, path or stack.
 */
export const countedProblem = new SerializationError('a problem that is counted, not described');

/**
 * Module-global, like the collector (issue-collector.ts), which turns it on once a collecting
 * decode has listed all the issues it may, and off again when that decode ends or a trial decode
 * (withoutCollecting) starts. Decoding is synchronous.
 */
let onlyCounting = false;

/** Sets whether problems are only counted; gives back the previous setting, for the caller to restore. */
export function setOnlyCounting(on: boolean): boolean {
  const previous = onlyCounting;
  onlyCounting = on;
  return previous;
}

/**
 * Throws the SerializationError `expected <expected>, got <received>`: the value does not fit its
 * type. `received` is `got` as describeValue writes it, unless the caller describes it itself.
 */
export function refuse(expected: string, got: unknown, received?: string): never {
  if (onlyCounting) throw countedProblem;
  let description = received ?? describeValue(got);
  if (description.length > receivedLimit) description = `${description.slice(0, receivedLimit - 1)}…`;
  throw new SerializationError(`expected ${expected}, got ${description}`, [], { expected, received: description });
}

/** Throws the SerializationError of a problem other than a value of the wrong kind (a missing field, a limit passed). */
export function fail(problem: string): never {
  if (onlyCounting) throw countedProblem;
  throw new SerializationError(problem);
}

/** The error with `segment` in front of its path, if it is a SerializationError; any other error as it is. */
export function prefixPath(error: unknown, segment: PathSegment): unknown {
  return error instanceof SerializationError ? error.prefixPath(segment) : error;
}
