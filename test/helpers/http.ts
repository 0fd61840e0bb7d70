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
  const isJson = (response.headers.get('content-type') ?? '').startsWith('application/json');
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
