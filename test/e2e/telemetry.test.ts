/**
 * The telemetry example over real HTTP: batches written as a Python SDK writes them (snake_case,
 * enum values, datetimes with offsets), idempotent retries, usage read back with a date in the
 * query, bounds on counts, excerpts and batch size reported with their paths, and the TypeScript
 * client's instances both ways.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeClient, createClient } from '@marshal/client';
import { ITelemetry } from '../../examples/telemetry/contract.js';
import { Telemetry } from '../../examples/telemetry/telemetry.js';
import { IngestBatch, IngestReceipt, RawEvent, TokenUsage, UsageSummary, maxBatchEvents } from '../../examples/telemetry/models.js';
import { serveForTests } from '../helpers/serve.js';
import { call, post } from '../helpers/http.js';

/** An event as the Python SDK writes it: snake_case keys, enum values, ISO datetimes with an offset. */
const event = (id: string, change: Record<string, unknown> = {}) => ({
  source_event_id: id,
  ts: '2026-05-01T10:00:00.250000+00:00',
  kind: 'llm_call',
  agent: 'raw_sdk_openai',
  provider: 'openai',
  session_id: 's1',
  tokens: { input: 800, output: 120 },
  model: 'gpt-x',
  git: { repo: 'acme/app', branch: 'main' },
  duration_ms: 950,
  billing: 'api',
  content_excerpt: 'the prompt',
  ...change,
});
const toolCall = {
  external_call_id: 'tc_1',
  session_id: 's1',
  source_event_id: 'e1',
  agent: 'raw_sdk_openai',
  server: 'builtin',
  name: 'shell',
  call_index: 0,
  started_at: '2026-05-01T10:00:01Z',
  status: 'ok',
  args_hash: 'ab12',
  args_bytes: 40,
  result_bytes: 512,
  command_families: ['git', 'ls'],
};
const batch = (events: unknown[], toolCalls: unknown[] = []) => ({
  batch: { batch_id: 'b1', device_id: 'dev_sdk', daemon_version: 'python-sdk/0.0.1', events, tool_calls: toolCalls },
});

describe('the telemetry example: batches of snake_case usage events with bounds', () => {
  const served = serveForTests({ services: [new Telemetry()] });
  let api: ITelemetry;
  afterAll(() => closeClient(api));

  it('stores a batch as the SDK sends it, and counts a retried one as duplicates', async () => {
    const sent = batch([event('e1'), event('e2', { ts: '2026-05-01T10:05:00Z', tokens: { input: 200, output: 30, cache_read: 50 }, model: 'gpt-y' })], [toolCall]);
    const first = await post(`${served.url}/telemetry/ingest`, sent);
    expect({ status: first.status, body: first.body }).toEqual({ status: 200, body: { accepted: 2, duplicates: 0, tool_calls: 1 } });
    const retried = await post(`${served.url}/telemetry/ingest`, sent);
    expect(retried.body).toEqual({ accepted: 0, duplicates: 2, tool_calls: 0 });

    const usage = await call(`${served.url}/telemetry/usage/s1`);
    expect(usage.body).toEqual({
      session_id: 's1',
      events: 2,
      input_tokens: 1000,
      output_tokens: 150,
      tool_calls: 1,
      models: ['gpt-x', 'gpt-y'],
      first_at: '2026-05-01T10:00:00.250Z',
      last_at: '2026-05-01T10:05:00.000Z',
    });
    const later = await call(`${served.url}/telemetry/usage/s1?since=${encodeURIComponent('2026-05-01T10:01:00Z')}`);
    expect(later.body).toMatchObject({ events: 1, input_tokens: 200, tool_calls: 0, models: ['gpt-y'] });
  });

  it('lists every problem of a bad batch with its path', async () => {
    const answer = await post(
      `${served.url}/telemetry/ingest`,
      batch(
        [
          event('x1', { tokens: { input: -5, output: 1 }, billing: 'free' }),
          event('x2', { content_excerpt: 'x'.repeat(321), ts: 'yesterday' }),
        ],
        [{ ...toolCall, command_families: ['a', 'b', 'c', 'd'] }],
      ),
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      code: 'MARSHAL_ERR_BAD_PARAMETER',
      parameter: 'batch',
      issues: [
        { path: 'batch.events[0].tokens.input', message: 'expected a number ≥ 0, got -5' },
        { path: 'batch.events[0].billing', message: 'expected one of "api", "subscription", got "free"' },
        { path: 'batch.events[1].ts', message: 'expected an ISO-8601 date string, got "yesterday"' },
        { path: 'batch.events[1].content_excerpt', message: expect.stringMatching(/^expected a string of at most 320 characters, got "x+…"$/) },
        { path: 'batch.tool_calls[0].command_families', message: 'expected at most 3 items, got 4' },
      ],
    });
  });

  it('refuses a batch over the SDK flush size', async () => {
    const events = Array.from({ length: maxBatchEvents + 1 }, (_, i) => event(`big${i}`));
    const answer = await post(`${served.url}/telemetry/ingest`, batch(events));
    expect(answer.body).toMatchObject({ issues: [{ path: 'batch.events', message: `expected at most ${maxBatchEvents} items, got ${maxBatchEvents + 1}` }] });
  });

  it('round-trips instances through the client, dates and optional fields included', async () => {
    api = createClient(ITelemetry, served.url);
    const tokens = Object.assign(new TokenUsage(), { input: 10, output: 2 });
    const sent = Object.assign(new RawEvent(), { sourceEventId: 'c1', ts: new Date('2026-06-01T00:00:00Z'), agent: 'ts', provider: 'anthropic', sessionId: 's2', tokens });
    const receipt = await api.ingest(Object.assign(new IngestBatch(), { batchId: 'b2', deviceId: 'd', daemonVersion: 'ts/1', events: [sent] }));
    expect(receipt).toBeInstanceOf(IngestReceipt);
    expect(receipt).toEqual(Object.assign(new IngestReceipt(), { accepted: 1, duplicates: 0, toolCalls: 0 }));
    const usage = await api.usage('s2', new Date('2026-01-01T00:00:00Z'));
    expect(usage).toBeInstanceOf(UsageSummary);
    expect(usage).toMatchObject({ sessionId: 's2', events: 1, inputTokens: 10, models: [] });
    expect(usage.lastAt).toEqual(new Date('2026-06-01T00:00:00Z'));
  });
});
