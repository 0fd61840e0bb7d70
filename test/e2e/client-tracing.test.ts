/**
 * A client made with `tracing: true` starts a CLIENT span per call once an OpenTelemetry SDK is
 * registered, and sends its context in `traceparent`: the server sees the span's trace id and
 * span id. A client without it sends nothing and starts nothing.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode, type TextMapPropagator, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Int, endpoint, service, stream, unimplemented } from '@marshal/core';
import { closeClient, createClient } from '@marshal/client';
import { scriptedServer } from '../helpers/scripted-server.js';

@service({ name: 'vault' })
class IVault {
  @endpoint({ params: [['key', String]], returns: Int, idempotent: true })
  read(key: string): Promise<number> { return unimplemented(); }

  @endpoint({ params: [['count', Int]], returns: stream(Int) })
  count(count: number): AsyncIterable<number> { return unimplemented(); }
}

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(async () => {
  trace.disable();
  context.disable();
  await provider.shutdown();
});

/** `00-<trace id>-<span id>-<flags>`, as W3C Trace Context writes it. */
function traceparentOf(span: ReadableSpan): string {
  const { traceId, spanId } = span.spanContext();
  return `00-${traceId}-${spanId}-01`;
}

describe('client spans', () => {
  const scripted = scriptedServer();
  const clients: object[] = [];
  afterAll(() => Promise.all(clients.map(closeClient)));
  const client = (options: Parameters<typeof createClient>[2] = { tracing: true }, url = scripted.url) => {
    const api = createClient(IVault, url, options);
    clients.push(api);
    return api;
  };
  const json = (status: number, body: string) => (response: import('node:http').ServerResponse) => response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  beforeEach(() => {
    exporter.reset();
    scripted.requests.length = 0;
    scripted.script = json(200, '7');
  });

  it('names the span after the endpoint and sends its context to the server', async () => {
    await expect(client().read('a')).resolves.toBe(7);
    const [span] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    expect({ name: span.name, kind: span.kind, status: span.status.code }).toEqual({ name: 'vault/read', kind: SpanKind.CLIENT, status: SpanStatusCode.UNSET });
    expect(span.attributes).toEqual({
      'rpc.system': 'marshal',
      'rpc.service': 'vault',
      'rpc.method': 'read',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(scripted.url).port),
      'http.response.status_code': 200,
    });
    expect(scripted.requests[0].headers.traceparent).toBe(traceparentOf(span));
  });

  it("is a child of the caller's active span", async () => {
    const tracer = trace.getTracer('tests');
    await tracer.startActiveSpan('outer', async (outer) => {
      await client().read('a');
      outer.end();
    });
    const [inner, outer] = exporter.getFinishedSpans();
    expect([inner.name, outer.name]).toEqual(['vault/read', 'outer']);
    expect(inner.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(inner.spanContext().traceId).toBe(outer.spanContext().traceId);
    expect(scripted.requests[0].headers.traceparent).toBe(traceparentOf(inner));
  });

  it('marks a failed call as an error: an error answer, and no answer', async () => {
    scripted.script = json(404, JSON.stringify({ code: 'MARSHAL_ERR_NOT_FOUND', message: 'no key a' }));
    await expect(client().read('a')).rejects.toMatchObject({ status: 404 });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(client({ tracing: true, retry: false }, `http://127.0.0.1:${port}`).read('b')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const [answered, refused] = exporter.getFinishedSpans();
    expect(answered.status.code).toBe(SpanStatusCode.ERROR);
    expect(answered.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': 'MARSHAL_ERR_NOT_FOUND' });
    expect(answered.events.map((event) => event.name)).toEqual(['exception']);
    expect(refused.status.code).toBe(SpanStatusCode.ERROR);
    expect(refused.attributes).toMatchObject({ 'error.type': 'ECONNREFUSED' });
    expect(refused.attributes['http.response.status_code']).toBeUndefined();
  });

  it('covers a streamed result until its last item', async () => {
    scripted.script = (response) => response.writeHead(200, { 'content-type': 'application/x-ndjson' }).end('1\n2\n');
    const items: number[] = [];
    for await (const item of client().count(2)) {
      items.push(item);
      expect(exporter.getFinishedSpans()).toEqual([]);
    }
    expect(items).toEqual([1, 2]);
    const [span] = exporter.getFinishedSpans();
    expect({ name: span.name, status: span.status.code }).toEqual({ name: 'vault/count', status: SpanStatusCode.UNSET });
    expect(scripted.requests[0].headers.traceparent).toBe(traceparentOf(span));
  });

  it('is one span for a retried call, sent with each attempt', async () => {
    let answered = 0;
    scripted.script = (response) => (answered++ === 0 ? response.writeHead(503).end() : json(200, '7')(response));
    await expect(client({ tracing: true, retry: { minDelayMs: 1, maxDelayMs: 5 } }).read('a')).resolves.toBe(7);
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0].attributes['http.response.status_code']).toBe(200);
    expect(scripted.requests.map((request) => request.headers.traceparent)).toEqual([traceparentOf(spans[0]), traceparentOf(spans[0])]);
  });

  it("writes the context with the application's propagator when one is registered", async () => {
    const ownHeader: TextMapPropagator = {
      inject: (carrier, headers, setter) => {
        const span = trace.getSpanContext(carrier);
        if (span) setter.set(headers, 'x-trace-id', span.traceId);
      },
      extract: (carrier) => carrier,
      fields: () => ['x-trace-id'],
    };
    propagation.setGlobalPropagator(ownHeader);
    try {
      await client().read('a');
    } finally {
      propagation.disable();
    }
    const [span] = exporter.getFinishedSpans();
    expect(scripted.requests[0].headers['x-trace-id']).toBe(span.spanContext().traceId);
    expect(scripted.requests[0].headers.traceparent).toBeUndefined();
  });

  it('starts no span and sends no traceparent without tracing: true', async () => {
    const api = client({});
    await api.read('a');
    await api.read.with({ timeoutMs: 5000 })('b');
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(scripted.requests.map((request) => request.headers.traceparent)).toEqual([undefined, undefined]);
  });
});
