/**
 * 500 answers over real HTTP: an implementation that throws (with and without `debug`) and one that
 * returns a value its declared return type cannot carry.
 */
import { describe, expect, it } from 'vitest';
import { Probe } from '../helpers/probe-service.js';
import { serveForTests } from '../helpers/serve.js';
import { expectError, issue, post } from '../helpers/http.js';

const badResult = {
  code: 'MARSHAL_ERR_RESULT_ENCODING',
  message: 'IProbe.badResult returned a value that does not fit its return type: [1].when: expected a valid Date, got "yesterday"',
  issues: [issue('[1].when', 'expected a valid Date, got "yesterday"')],
};

describe('implementation errors without debug', () => {
  const served = serveForTests({ services: [new Probe()] });

  it('answers 500 with a generic message, and logs the thrown error in full on the server', async () => {
    const answer = await post(`${served.url}/probe/fail/${encodeURIComponent('no such thing: /etc/secret')}`);
    expectError(answer, 500, { code: 'MARSHAL_ERR_HANDLER', message: 'the implementation failed; the server has logged the error' });
    expect(JSON.stringify(answer.body)).not.toMatch(/secret|TypeError|probe-service|at Probe\./);
    const logged = served.log.map((entry) => (entry.object as { err?: unknown }).err).find((err) => err instanceof TypeError);
    expect((logged as Error).message).toBe('no such thing: /etc/secret');
    expect((logged as Error).stack).toContain('probe-service.ts');
  });

  it('answers 500 MARSHAL_ERR_RESULT_ENCODING for a result that does not fit the return type', async () => {
    expectError(await post(`${served.url}/probe/bad-result`), 500, badResult);
  });

  it('keeps serving after implementation errors', async () => {
    await post(`${served.url}/probe/fail/x`);
    const answer = await post(`${served.url}/probe/echo/a/1/2/0/2024-01-01/GREEN`);
    expect(answer.status).toBe(200);
  });
});

describe('implementation errors with debug: true', () => {
  const served = serveForTests({ services: [new Probe()], debug: true });

  it('adds the stack of the thrown error', async () => {
    const answer = await post(`${served.url}/probe/fail/boom`);
    expect(answer.status).toBe(500);
    const { stack, ...rest } = answer.body as { stack?: unknown };
    expect(rest).toEqual({ code: 'MARSHAL_ERR_HANDLER', name: 'TypeError', message: 'boom' });
    expect(typeof stack).toBe('string');
    expect(stack).toMatch(/^TypeError: boom\n\s+at Probe\.fail /);
    expect(stack).toContain('probe-service.ts');
  });

  it('adds no stack to errors about the request or the result', async () => {
    expectError(await post(`${served.url}/probe/bad-result`), 500, badResult);
    const answer = await post(`${served.url}/probe/lookup/1`);
    expect(answer.status).toBe(405);
    expect(answer.body).not.toHaveProperty('stack');
  });
});
