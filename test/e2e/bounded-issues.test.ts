/**
 * Error answers stay small whatever the request: at most 100 issues, the rest counted in
 * `issuesOmitted`, across every parameter of the request. Each issue carries its path as
 * segments, and for a value of the wrong kind what was expected and what was received.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Void, endpoint, field, recordOf, service, unimplemented } from '@marshal/core';
import { RemoteError, closeClient, createClient } from '@marshal/client';
import { serveForTests } from '../helpers/serve.js';
import { issue, post } from '../helpers/http.js';

class Reading {
  @field(String) sensor!: string;
  @field(Number) value!: number;
}

@service()
class IReadings {
  @endpoint({ params: [['readings', [Reading]]], returns: Void })
  store(readings: Reading[]): Promise<void> { return unimplemented(); }

  @endpoint({ params: [['first', [Reading]], ['second', [Reading]]], returns: Void })
  pair(first: Reading[], second: Reading[]): Promise<void> { return unimplemented(); }

  @endpoint({ params: [['labels', recordOf(String)]], returns: Void })
  label(labels: Record<string, string>): Promise<void> { return unimplemented(); }
}

class Readings extends IReadings {
  override async store() {}
  override async pair() {}
  override async label() {}
}

/** The same service as a client that would send a number for `sensor`: a client built from an older contract. */
class StaleReading {
  @field(Number) sensor!: number;
  @field(Number) value!: number;
}
@service({ name: 'readings' })
class IStaleReadings {
  @endpoint({ params: [['readings', [StaleReading]]], returns: Void })
  store(readings: StaleReading[]): Promise<void> { return unimplemented(); }
}

interface Body {
  readonly code: string;
  readonly message: string;
  readonly parameter?: string;
  readonly issues?: Record<string, unknown>[];
  readonly issuesOmitted?: number;
}

/** A raw POST: its status, the length of its JSON text, and the body. */
async function send(url: string, body: string): Promise<{ status: number; length: number; body: Body }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  return { status: response.status, length: text.length, body: JSON.parse(text) as Body };
}

const empties = (count: number) => `[${Array.from({ length: count }, () => '{}').join(',')}]`;
const missing = 'missing required field of Reading';

describe('an error answer lists at most 100 issues', () => {
  const served = serveForTests({ services: [new Readings()] });

  it('for 100,000 empty DTOs: a 400 of at most 16 KiB, 100 issues, and the exact count of the rest', async () => {
    const body = `{"readings":${empties(100_000)}}`;
    expect(body.length).toBeGreaterThan(300_000);
    const answer = await send(`${served.url}/readings/store`, body);
    expect(answer.status).toBe(400);
    expect(answer.length).toBeLessThanOrEqual(16 * 1024);
    expect(answer.body.issues).toHaveLength(100);
    expect(answer.body.issuesOmitted).toBe(2 * 100_000 - 100);
    expect(answer.body).toMatchObject({
      code: 'MARSHAL_ERR_BAD_PARAMETER',
      message: `parameter 'readings': [0].sensor: ${missing} (and ${2 * 100_000 - 1} more problems)`,
      parameter: 'readings',
    });
    expect(answer.body.issues?.slice(0, 2)).toEqual([issue('readings[0].sensor', missing), issue('readings[0].value', missing)]);
    expect(answer.body.issues?.[99]).toEqual(issue('readings[49].value', missing));
  });

  it('across all the parameters of a request, in order', async () => {
    const answer = await send(`${served.url}/readings/pair`, `{"first":${empties(30)},"second":${empties(30)}}`);
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toHaveLength(100);
    expect(answer.body.issuesOmitted).toBe(20);
    expect(answer.body.message).toBe(`parameter 'first': [0].sensor: ${missing} (and 119 more problems)`);
    expect(answer.body.issues?.[59]).toEqual(issue('first[29].value', missing));
    expect(answer.body.issues?.[60]).toEqual(issue('second[0].sensor', missing));
    expect(answer.body.issues?.[99]).toEqual(issue('second[19].value', missing));
  });

  it('for a body of a thousand unknown keys', async () => {
    const keys = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`x${i}`, i]));
    const answer = await send(`${served.url}/readings/pair`, JSON.stringify(keys));
    expect(answer.status).toBe(400);
    expect(answer.length).toBeLessThanOrEqual(16 * 1024);
    expect(answer.body).toMatchObject({ code: 'MARSHAL_ERR_UNKNOWN_PARAMETER', parameter: 'x0', issuesOmitted: 1000 + 2 - 100 });
    expect(answer.body.issues).toHaveLength(100);
    expect(answer.body.issues?.[0]).toEqual(issue('x0', 'not a parameter of this endpoint (expected: first, second)'));
  });

  it('with keys in paths cut to 64 characters', async () => {
    const key = 'k'.repeat(10_000);
    const answer = await send(`${served.url}/readings/label`, JSON.stringify({ labels: { [key]: 5 } }));
    expect(answer.status).toBe(400);
    expect(answer.length).toBeLessThanOrEqual(2 * 1024);
    const [only] = answer.body.issues ?? [];
    expect(only).toMatchObject({ segments: ['labels', `${'k'.repeat(63)}…`], message: 'expected a string, got 5', expected: 'a string', received: '5' });
    expect(String(only.path).length).toBeLessThanOrEqual(256);
  });
});

describe('the server’s decodeLimits.maxIssues', () => {
  const served = serveForTests({ services: [new Readings()], decodeLimits: { maxIssues: 3 } });

  it('lists fewer issues per parameter, and counts the rest', async () => {
    const answer = await send(`${served.url}/readings/store`, `{"readings":${empties(10)}}`);
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toHaveLength(3);
    expect(answer.body.issuesOmitted).toBe(17);
  });
});

describe('each issue', () => {
  const served = serveForTests({ services: [new Readings()] });
  let stale: IStaleReadings | undefined;
  afterAll(() => (stale === undefined ? undefined : closeClient(stale)));

  it('has its path as segments, and what was expected and received', async () => {
    const answer = await post(`${served.url}/readings/store`, { readings: [{ sensor: 's', value: 1 }, { sensor: 5, value: 'high' }] });
    expect(answer.status).toBe(400);
    expect((answer.body as Body).issues).toEqual([
      { path: 'readings[1].sensor', segments: ['readings', 1, 'sensor'], message: 'expected a string, got 5', expected: 'a string', received: '5' },
      { path: 'readings[1].value', segments: ['readings', 1, 'value'], message: 'expected a finite number, got "high"', expected: 'a finite number', received: '"high"' },
    ]);
  });

  it('reaches the client as sent', async () => {
    stale = createClient(IStaleReadings, served.url);
    const reading = Object.assign(new StaleReading(), { sensor: 7, value: 1 });
    const error = await stale.store([reading]).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).issues).toEqual([
      { path: 'readings[0].sensor', segments: ['readings', 0, 'sensor'], message: 'expected a string, got 7', expected: 'a string', received: '7' },
    ]);
  });
});
