import { afterAll, describe, expect, it } from 'vitest';
import { RemoteError, closeClient, createClient } from '@marshal/client';
import { IAgentServer } from '../../examples/agent-server/contract.js';
import { AgentServer } from '../../examples/agent-server/agent-server.js';
import { InjectRequest, ThreadInfo, ThreadStatus } from '../../examples/agent-server/models.js';
import { serveForTests } from '../helpers/serve.js';

const clock = new Date('2026-01-27T21:20:36.000Z');

describe('the agent-server example: camelCase DTOs, enums by value, dates', () => {
  const served = serveForTests({ services: [new AgentServer(() => clock)] });
  let api: IAgentServer;
  afterAll(() => closeClient(api));

  it('round-trips DTO instances through the client', async () => {
    api = createClient(IAgentServer, served.url);
    const sent = Object.assign(new InjectRequest(), { to: 'planner', payload: { text: 'hello' } });
    const reply = await api.inject(sent);
    expect(reply).toEqual({ threadId: 'thread-1', messageId: 'message-1' });

    const thread = await api.thread(reply.threadId);
    expect(thread).toBeInstanceOf(ThreadInfo);
    expect(thread.createdAt).toBeInstanceOf(Date);
    expect(thread.createdAt.toISOString()).toBe(clock.toISOString());
    expect(thread.status).toBe(ThreadStatus.ACTIVE);
    expect(thread.participants).toEqual(['planner']);
    expect(thread.error).toBeUndefined();

    expect(await api.threads(ThreadStatus.ACTIVE)).toHaveLength(1);
    expect(await api.threads(ThreadStatus.KILLED)).toEqual([]);
    expect(await api.threads()).toHaveLength(1);
  });

  it('speaks the JSON a non-TypeScript client sends and expects', async () => {
    const injected = await fetch(`${served.url}/agent-server/inject`, {
      method: 'POST',
      body: JSON.stringify({ request: { to: 'critic', payload: { n: 1 }, threadId: 'abc' } }),
    });
    expect(await injected.json()).toEqual({ threadId: 'abc', messageId: expect.stringMatching(/^message-\d+$/) });

    const thread = await fetch(`${served.url}/agent-server/thread/abc`);
    expect(await thread.json()).toEqual({
      id: 'abc',
      status: 'active',
      participants: ['critic'],
      messageCount: 1,
      createdAt: '2026-01-27T21:20:36.000Z',
      lastActivity: '2026-01-27T21:20:36.000Z',
    });

    const listed = await fetch(`${served.url}/agent-server/threads?status=active`);
    expect(((await listed.json()) as { id: string }[]).map((t) => t.id)).toContain('abc');
    const badStatus = await fetch(`${served.url}/agent-server/threads?status=ACTIVE`);
    expect(badStatus.status).toBe(400);
    expect(await badStatus.json()).toMatchObject({ code: 'MARSHAL_ERR_BAD_PARAMETER', parameter: 'status' });
  });

  it('passes an error code thrown by the implementation through to the client', async () => {
    const error = await api.thread('missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ status: 404, code: 'MARSHAL_ERR_NOT_FOUND', message: expect.stringContaining('no thread "missing"') });
  });

  it('refuses an agent name outside its bounds, naming the field', async () => {
    const answer = await fetch(`${served.url}/agent-server/inject`, {
      method: 'POST',
      body: JSON.stringify({ request: { to: 'two words', payload: {} } }),
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({
      parameter: 'request',
      issues: [{ path: 'request.to', message: 'expected a string matching /^[A-Za-z0-9_.-]+$/, got "two words"' }],
    });
  });
});
