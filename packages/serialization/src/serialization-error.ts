import { describeValue } from './descriptor.js';

export type PathSegment = string | number;

/**
 * A value that does not fit its descriptor. `path` locates the offending part (data[3].when);
 * codecs add segments as the error travels up, so the success path never builds paths.
 */
export class SerializationError extends Error {
  override name = 'SerializationError';
  readonly path: PathSegment[];
  readonly problem: string;

  constructor(problem: string, path: PathSegment[] = []) {
    super(problem);
    this.problem = problem;
    this.path = path;
    this.message = this.render();
  }

  /** Adds a segment in front of the path, for a parent container to call while the error passes it. */
  prefixPath(segment: PathSegment): this {
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

/** Throws the SerializationError `expected <expected>, got <value>`: the value does not fit its type. */
export function refuse(expected: string, got: unknown): never {
  throw new SerializationError(`expected ${expected}, got ${describeValue(got)}`);
}

/** The error with `segment` in front of its path, if it is a SerializationError; any other error as it is. */
export function prefixPath(error: unknown, segment: PathSegment): unknown {
  return error instanceof SerializationError ? error.prefixPath(segment) : error;
}
