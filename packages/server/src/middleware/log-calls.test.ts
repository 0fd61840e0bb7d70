import { describe, expect, it } from 'vitest';
import { logCalls } from './log-calls.js';
import { nextStep, testCall } from './test-call.js';

function collecting() {
  const lines: { level: 'info' | 'error'; object: Record<string, unknown>; message: string | undefined }[] = [];
  return {
    lines,
    info: (object: object, message?: string) => void lines.push({ level: 'info', object: object as Record<string, unknown>, message }),
    error: (object: object, message?: string) => void lines.push({ level: 'error', object: object as Record<string, unknown>, message }),
  };
}

describe('logCalls', () => {
  it('writes one info line when a call succeeds, and nothing before it ends', async () => {
    const logger = collecting();
    const call = testCall({ remoteAddress: '10.1.2.3' });
    await expect(logCalls(logger)(call, nextStep({ result: 'ok' }))).resolves.toBe('ok');
    expect(logger.lines).toEqual([]);
    call.end({ status: 200, durationMs: 12.3456789, bytesIn: 40, bytesOut: 2 });
    expect(logger.lines).toEqual([
      {
        level: 'info',
        message: 'call',
        object: { service: 'inventory', endpoint: 'add', transport: 'http', status: 200, code: undefined, durationMs: 12.346, bytesIn: 40, bytesOut: 2, caller: '10.1.2.3' },
      },
    ]);
  });

  it('logs a refusal (4xx) as info with its code', async () => {
    const logger = collecting();
    const call = testCall();
    await logCalls(logger)(call, nextStep());
    call.end({ status: 401, code: 'MARSHAL_ERR_UNAUTHORIZED' });
    expect(logger.lines).toMatchObject([{ level: 'info', object: { status: 401, code: 'MARSHAL_ERR_UNAUTHORIZED' } }]);
    expect(logger.lines[0].object).not.toHaveProperty('err');
  });

  it('logs a failure of the server (5xx) as an error, with what was thrown as err', async () => {
    const logger = collecting();
    const call = testCall({ transport: 'websocket' });
    const thrown = new TypeError('cannot read properties of undefined');
    await logCalls(logger)(call, nextStep({ error: thrown })).catch(() => undefined);
    call.end({ status: 500, code: 'MARSHAL_ERR_HANDLER', error: thrown });
    expect(logger.lines).toMatchObject([{ level: 'error', message: 'call failed', object: { transport: 'websocket', status: 500, code: 'MARSHAL_ERR_HANDLER', err: thrown } }]);
    expect((logger.lines[0].object.err as Error).stack).toContain('cannot read properties of undefined');
  });

  it.each([
    ['an id', { id: 42, name: 'alice' }, 42],
    ['a name', { name: 'ingester' }, 'ingester'],
    ['a string', 'service-account', 'service-account'],
    ['neither', { roles: [] }, '127.0.0.1'],
  ])('names the caller by the principal when it has %s', async (_, principal, caller) => {
    const logger = collecting();
    const call = testCall();
    await logCalls(logger)(call, () => {
      call.principal = principal;
      return Promise.resolve();
    });
    call.end();
    expect(logger.lines[0].object.caller).toEqual(caller);
  });

  it('never lets a logger that throws fail the call’s end', async () => {
    const call = testCall();
    const throwing = { info: () => { throw new Error('disk full'); }, error: () => { throw new Error('disk full'); } };
    await logCalls(throwing)(call, nextStep());
    expect(() => call.end()).not.toThrow();
  });

  it('needs a logger with info and error', () => {
    expect(() => logCalls({ error: () => undefined } as never)).toThrow(/info and error/);
  });
});
