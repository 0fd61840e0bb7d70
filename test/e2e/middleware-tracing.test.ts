/**
 * tracing() on a real server: a SERVER span per call whose trace and parent come from the
 * caller's traceparent (a client's span, or a header any client sends), the implementation
 * running in it.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { endpoint, service, unimplemented } from '@marshal/core';
import { closeClient, createClient } from '@marshal/client';
import { tracing } from '@marshal/server';
import { serveForTests } from '../helpers/serve.js';
import { recordSpans } from '../helpers/tracing.js';

@service({ name: 'echo' })
class IEcho {
  /** Answers with the id of the span it runs in. */
  @endpoint({ params: [['text', String]], returns: String })
  say(text: string): Promise<string> { return unimplemented(); }
}

class Echo extends IEcho {
  override async say(text: string) {
    await new Promise((resolve) => setImmediate(resolve));
    if (text === 'fail') throw new RangeError('no echo for that');
    return `${text} in ${trace.getActiveSpan()?.spanContext().spanId}`;
  }
}

const recording = recordSpans();
afterEach(() => recording.exporter.reset());
afterAll(() => recording.stop());
const served = serveForTests({ services: [new Echo()], middleware: [tracing()] });

const serverSpans = () => recording.exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);

describe('a server span per call', () => {
  it('continues the trace of a traceparent header, the implementation running in the span', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const answer = await fetch(`${served.url}/echo/say/hi`, { method: 'POST', headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    const text = (await answer.json()) as string;
    const [span] = serverSpans();
    expect(span.name).toBe('echo/say');
    expect(span.spanContext().traceId).toBe(traceId);
    expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(text).toBe(`hi in ${span.spanContext().spanId}`);
    expect(span.attributes).toMatchObject({ 'rpc.system': 'marshal', 'rpc.service': 'echo', 'rpc.method': 'say', 'http.response.status_code': 200 });
  });

  it('is a child of the span of Marshal’s client that made the call', async () => {
    const api = createClient(IEcho, served.url, { tracing: true });
    try {
      await trace.getTracer('the-application').startActiveSpan('checkout', async (outer) => {
        await api.say('hello');
        outer.end();
      });
    } finally {
      await closeClient(api);
    }
    const spans = recording.exporter.getFinishedSpans();
    const outer = spans.find((span) => span.name === 'checkout')!;
    const client = spans.find((span) => span.kind === SpanKind.CLIENT)!;
    const [server] = serverSpans();
    expect(client.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(server.spanContext().traceId).toBe(outer.spanContext().traceId);
    expect(server.parentSpanContext?.spanId).toBe(client.spanContext().spanId);
  });

  it('starts a trace of its own for a call that carries none, and marks a refusal by its code', async () => {
    const answer = await fetch(`${served.url}/echo/say`, { method: 'POST' });
    expect(answer.status).toBe(400);
    await answer.text();
    const [span] = serverSpans();
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toMatchObject({ 'http.response.status_code': 400, 'error.type': 'MARSHAL_ERR_MISSING_PARAMETER' });
  });

  it('marks a failure of the implementation as an error, with the exception', async () => {
    const answer = await fetch(`${served.url}/echo/say/fail`, { method: 'POST' });
    expect(answer.status).toBe(500);
    await answer.text();
    const [span] = serverSpans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'MARSHAL_ERR_HANDLER' });
    expect(span.events.map((event) => event.attributes?.['exception.message'])).toEqual(['no echo for that']);
  });
});
