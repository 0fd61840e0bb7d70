import { expect } from 'vitest';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** One real HTTP call with global fetch (undici); the body is parsed as JSON when the server says it is JSON. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const isJson = type === 'application/json' || type.startsWith('application/json;');
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
}

/** POST with a JSON body given as a value (serialized here) or as raw text. */
export function post(url: string, body?: unknown, raw = false): Promise<Answer> {
  if (body === undefined) return call(url, { method: 'POST' });
  return call(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ? (body as string) : JSON.stringify(body),
  });
}

/** Asserts an error answer: its status, that it is JSON, and its whole body. */
export function expectError(answer: Answer, status: number, body: Record<string, unknown>): void {
  expect({ status: answer.status, body: answer.body }).toEqual({ status, body });
  expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
}

/**
 * An issue of an error body as the server writes it for `path` and `message`: with the path's
 * segments (`items[1].when` → ['items', 1, 'when']) and, for a message `expected X, got Y`, X and
 * Y as its `expected` and `received`.
 */
export function issue(path: string, message: string): Record<string, unknown> {
  const mismatch = /^expected (.*), got (.*)$/s.exec(message);
  return { path, segments: segmentsOf(path), message, ...(mismatch && { expected: mismatch[1], received: mismatch[2] }) };
}

function segmentsOf(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  const pattern = /(?:^|\.)([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  while (pattern.lastIndex < path.length) {
    const match = pattern.exec(path);
    if (match === null) throw new Error(`not a path: ${path}`);
    segments.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : (JSON.parse(match[3]) as string)));
  }
  return segments;
}
