/**
 * logCalls on a real server: one line per call when it ends, info for successes and refusals,
 * error with the stack for a failure of the server's, which the client never sees.
 */
import { describe, expect, it } from 'vitest';
import { Int, MarshalError, Void, endpoint, service, unimplemented } from '@marshal/core';
import { bearerAuth, logCalls } from '@marshal/server';
import { serveForTests } from '../helpers/serve.js';

@service({ name: 'ledger' })
class ILedger {
  @endpoint({ params: [['amount', Int]], returns: Int, forceJsonParams: true })
  add(amount: number): Promise<number> { return unimplemented(); }

  @endpoint({ params: [['id', String]], returns: Int })
  entry(id: string): Promise<number> { return unimplemented(); }

  @endpoint({ params: [], returns: Void })
  audit(): Promise<void> { return unimplemented(); }
}

class Ledger extends ILedger {
  total = 0;
  override async add(amount: number) { return (this.total += amount); }
  override async entry(id: string): Promise<number> { throw new MarshalError('MARSHAL_ERR_NOT_FOUND', `no entry ${id}`); }
  override async audit(): Promise<void> { throw new TypeError('the ledger is corrupted at 0x2a'); }
}

interface Line {
  readonly level: 'info' | 'error';
  readonly object: Record<string, unknown>;
  readonly message: string | undefined;
}

/** A pino-shaped logger that keeps its lines, and tells when there are as many as a test waits for. */
function callLog() {
  const lines: Line[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  const write = (level: Line['level']) => (object: object, message?: string) => {
    lines.push({ level, object: object as Record<string, unknown>, message });
    for (const waiter of waiting.filter((w) => lines.length >= w.count)) waiter.resolve();
  };
  return {
    lines,
    info: write('info'),
    error: write('error'),
    /** The line that makes `count` lines, once it is written. */
    async line(count: number): Promise<Line> {
      if (lines.length < count) await new Promise<void>((resolve) => waiting.push({ count, resolve }));
      return lines[count - 1];
    },
  };
}

const log = callLog();
const served = serveForTests({
  services: [new Ledger()],
  middleware: [logCalls(log), bearerAuth({ tokens: { 'alice-token': { id: 'alice' } } })],
});
const alice = { authorization: 'Bearer alice-token', 'content-type': 'application/json' };

describe('logCalls', () => {
  it('writes an info line for a call that succeeded, naming the principal', async () => {
    const body = '{"amount":5}';
    const answer = await fetch(`${served.url}/ledger/add`, { method: 'POST', headers: alice, body });
    expect(await answer.text()).toBe('5');
    const line = await log.line(1);
    expect(line).toMatchObject({
      level: 'info',
      message: 'call',
      object: { service: 'ledger', endpoint: 'add', transport: 'http', status: 200, code: undefined, bytesIn: body.length, caller: 'alice' },
    });
    expect(line.object.bytesOut).toBeGreaterThanOrEqual(1);
    expect(line.object.durationMs).toBeGreaterThan(0);
  });

  it('writes an info line with the code for a refusal, naming the client’s address when no one is identified', async () => {
    const refused = await fetch(`${served.url}/ledger/add`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"amount":1}' });
    expect(refused.status).toBe(401);
    expect(await log.line(2)).toMatchObject({ level: 'info', object: { endpoint: 'add', status: 401, code: 'MARSHAL_ERR_UNAUTHORIZED', caller: '127.0.0.1' } });
    const missing = await fetch(`${served.url}/ledger/entry/e7`, { method: 'POST', headers: alice });
    expect(missing.status).toBe(404);
    expect(await log.line(3)).toMatchObject({ level: 'info', object: { endpoint: 'entry', status: 404, code: 'MARSHAL_ERR_NOT_FOUND', caller: 'alice' } });
  });

  it('writes an error line with the stack for a failure of the server’s, while the client sees none', async () => {
    const answer = await fetch(`${served.url}/ledger/audit`, { method: 'POST', headers: alice });
    const body = await answer.text();
    expect(answer.status).toBe(500);
    expect(body).not.toContain('corrupted');
    expect(body).not.toContain('.ts:');
    const line = await log.line(4);
    expect(line).toMatchObject({ level: 'error', message: 'call failed', object: { endpoint: 'audit', status: 500, code: 'MARSHAL_ERR_HANDLER', caller: 'alice' } });
    expect(line.object.err).toBeInstanceOf(TypeError);
    expect((line.object.err as Error).stack).toMatch(/the ledger is corrupted at 0x2a\n\s+at Ledger\.audit/);
  });

  it('writes exactly one line per call', async () => {
    const before = log.lines.length;
    await Promise.all([1, 2, 3].map((amount) => fetch(`${served.url}/ledger/add`, { method: 'POST', headers: alice, body: JSON.stringify({ amount }) }).then((r) => r.text())));
    await log.line(before + 3);
    await fetch(`${served.url}/ledger/audit`, { method: 'POST', headers: alice }).then((r) => r.text());
    await log.line(before + 4);
    expect(log.lines.slice(before).map((line) => line.object.endpoint)).toEqual(['add', 'add', 'add', 'audit']);
  });
});
