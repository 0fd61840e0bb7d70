import { type ErrorBody, type ErrorIssue, type ErrorIssueInput, MarshalError } from '@marshal/core/internal';
import type { Logger } from './logger.js';

export interface ErrorOptions {
  /** Send the message, name and stack of unexpected errors too. Off by default: they leak internals. */
  readonly debug: boolean;
  /** Where unexpected errors (those that become 500s) are logged in full. */
  readonly logger: Logger;
}

export interface ErrorResponse {
  readonly status: number;
  readonly body: ErrorBody;
  /** The body as JSON text, never longer than `errorBodyLimit` bytes' worth of characters. */
  readonly json: string;
}

/** Bounds on what an error answer echoes (docs/errors.md, "Bounds"). */
export const errorBounds = {
  /** The whole JSON body, in characters. */
  body: 16 * 1024,
  message: 1024,
  parameter: 128,
  issues: 100,
  issuePath: 256,
  /** An issue's segments: how many, and the characters of a key among them. */
  issueSegments: 64,
  issueSegment: 64,
  issueMessage: 512,
  issueExpected: 256,
  issueReceived: 128,
  name: 128,
  /** The implementation's data, as JSON text. */
  data: 4096,
} as const;

const genericMessage = 'the implementation failed; the server has logged the error';
const lastResort: ErrorResponse = errorAnswer(500, { code: 'MARSHAL_ERR_HANDLER', message: genericMessage });

/**
 * Anything thrown while serving a call → its status and JSON error body, whatever the transport.
 * Total: whatever was thrown (a Proxy whose traps throw, an Error whose message getter throws),
 * this returns, and the body stays within errorBounds.
 */
export function errorResponse(thrown: unknown, options: ErrorOptions): ErrorResponse {
  try {
    if (thrown instanceof MarshalError) return marshalErrorResponse(thrown, options);
  } catch {
    // a hostile subclass or a getter that throws: fall through to the generic answer
  }
  logUnexpected(thrown, options);
  if (!options.debug) return lastResort;
  return errorAnswer(500, {
    code: 'MARSHAL_ERR_HANDLER',
    name: clip(readString(thrown, 'name') ?? typeof thrown, errorBounds.name),
    message: clip(readString(thrown, 'message') ?? safeText(thrown), errorBounds.message),
    stack: clip(readString(thrown, 'stack') ?? '', 4 * errorBounds.message),
  });
}

function marshalErrorResponse(error: MarshalError, options: ErrorOptions): ErrorResponse {
  // A 500 the framework raised (a result that does not fit) is still the implementation's fault: log it.
  // A server that is stopping is no failure.
  if (error.status >= 500 && error.code !== 'MARSHAL_ERR_UNAVAILABLE') logUnexpected(error, options);
  const { parameter, issues, issuesOmitted, name, data } = error.details;
  const body: Record<string, unknown> = { code: error.code, message: clip(String(error.message), errorBounds.message) };
  if (typeof parameter === 'string') body.parameter = clip(parameter, errorBounds.parameter);
  // Issues past the bound are counted with those the error already counted (requestProblems lists at most 100).
  let omitted = Number.isSafeInteger(issuesOmitted) && (issuesOmitted as number) > 0 ? (issuesOmitted as number) : 0;
  if (Array.isArray(issues) && issues.length > 0) {
    body.issues = issues.slice(0, errorBounds.issues).map(boundedIssue);
    omitted += Math.max(0, issues.length - errorBounds.issues);
  }
  if (omitted > 0) body.issuesOmitted = omitted;
  if (typeof name === 'string') body.name = clip(name, errorBounds.name);
  if (data !== undefined) {
    const json = safeJson(data);
    if (json !== undefined && json.length <= errorBounds.data) body.data = JSON.parse(json);
  }
  return errorAnswer(error.status, body as unknown as ErrorBody);
}

/**
 * An issue with only its known fields, each within errorBounds (an implementation's MarshalError
 * may carry anything); segments the implementation left out are read from the path.
 */
function boundedIssue(issue: ErrorIssueInput): ErrorIssue {
  const path = String(issue.path);
  const bounded: { -readonly [K in keyof ErrorIssue]: ErrorIssue[K] } = {
    path: clip(path, errorBounds.issuePath),
    segments: boundedSegments(Array.isArray(issue.segments) ? issue.segments : segmentsOf(path.slice(0, errorBounds.issuePath))),
    message: clip(String(issue.message), errorBounds.issueMessage),
  };
  if (typeof issue.expected === 'string') bounded.expected = clip(issue.expected, errorBounds.issueExpected);
  if (typeof issue.received === 'string') bounded.received = clip(issue.received, errorBounds.issueReceived);
  return bounded;
}

const pathSegment = /(?:^|\.)([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/** The segments of a path as formatPath writes it (`items[1].when`, `scores["a b"]`); a path in another form is one segment. */
function segmentsOf(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  pathSegment.lastIndex = 0;
  while (pathSegment.lastIndex < path.length) {
    const match = pathSegment.exec(path);
    if (match === null) return [path];
    const [, name, index, quoted] = match;
    if (name !== undefined) segments.push(name);
    else if (index !== undefined) segments.push(Number(index));
    else {
      try {
        segments.push(JSON.parse(quoted) as string);
      } catch {
        return [path];
      }
    }
  }
  return segments;
}

/**
 * A path's segments within errorBounds: at most `issueSegments` of them (a last '…' marks the cut),
 * keys cut at `issueSegment` characters, anything but a string or a number shown as text.
 */
export function boundedSegments(segments: readonly unknown[]): (string | number)[] {
  const kept = segments.length > errorBounds.issueSegments ? segments.slice(0, errorBounds.issueSegments - 1) : segments;
  const bounded = kept.map((segment) => (typeof segment === 'number' && Number.isFinite(segment) ? segment : clip(String(segment), errorBounds.issueSegment)));
  if (kept.length < segments.length) bounded.push('…');
  return bounded;
}

/** The body as JSON; issues are dropped from the end until it fits the bound. */
function errorAnswer(status: number, body: ErrorBody): ErrorResponse {
  let json = JSON.stringify(body);
  let bounded = body;
  while (json.length > errorBounds.body && bounded.issues !== undefined && bounded.issues.length > 0) {
    const kept = bounded.issues.slice(0, Math.floor(bounded.issues.length / 2));
    const omitted = (bounded.issuesOmitted ?? 0) + bounded.issues.length - kept.length;
    bounded = { ...bounded, issues: kept, issuesOmitted: omitted };
    json = JSON.stringify(bounded);
  }
  if (json.length > errorBounds.body) {
    bounded = { code: body.code, message: clip(body.message, errorBounds.message) };
    json = JSON.stringify(bounded);
  }
  return { status, body: bounded, json };
}

/** Logs an error the implementation did not mean to send, in full; never throws. */
export function logUnexpected(thrown: unknown, options: ErrorOptions): void {
  try {
    options.logger.error({ err: thrown }, 'an implementation failed');
  } catch {
    // a logger that throws must not turn one failed call into a crash
  }
}

/** Text no longer than `limit`, with a mark where it was cut. */
export function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** A string property of anything, or undefined when it is missing, not a string, or its getter throws. */
function readString(value: unknown, key: string): string | undefined {
  try {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
    const property = (value as Record<string, unknown>)[key];
    return typeof property === 'string' ? property : undefined;
  } catch {
    return undefined;
  }
}

function safeText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return `(a thrown ${typeof value} that cannot be shown)`;
  }
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
