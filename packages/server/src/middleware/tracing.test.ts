import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { MarshalError } from '@marshal/core/internal';
import { recordSpans } from '../../../../test/helpers/tracing.js';
import { tracing } from './tracing.js';
import { nextStep, testCall } from './test-call.js';

const recording = recordSpans();
afterEach(() => recording.exporter.reset());
afterAll(() => recording.stop());

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const clientSpanId = '00f067aa0ba902b7';

describe('tracing', () => {
  it('starts a SERVER span per call, a child of the caller’s span (traceparent), and ends it with the call', async () => {
    const call = testCall({ headers: { traceparent: `00-${traceId}-${clientSpanId}-01`, tracestate: 'vendor=abc' } });
    let activeInNext: string | undefined;
    await tracing()(call, () => {
      activeInNext = trace.getActiveSpan()?.spanContext().spanId;
      return Promise.resolve('ok');
    });
    expect(recording.exporter.getFinishedSpans()).toEqual([]);
    call.end({ status: 200 });
    const [span] = recording.exporter.getFinishedSpans();
    expect(span.name).toBe('inventory/add');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.spanContext().traceId).toBe(traceId);
    expect(span.parentSpanContext?.spanId).toBe(clientSpanId);
    expect(span.spanContext().traceState?.get('vendor')).toBe('abc');
    expect(activeInNext).toBe(span.spanContext().spanId);
    expect(span.attributes).toEqual({ 'rpc.system': 'marshal', 'rpc.service': 'inventory', 'rpc.method': 'add', 'http.response.status_code': 200 });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('starts a new trace for a call without a traceparent, and keeps the context across awaits', async () => {
    const call = testCall();
    const seen: (string | undefined)[] = [];
    await tracing()(call, async () => {
      seen.push(trace.getActiveSpan()?.spanContext().traceId);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(trace.getActiveSpan()?.spanContext().traceId);
    });
    call.end();
    const [span] = recording.exporter.getFinishedSpans();
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).not.toBe(traceId);
    expect(seen).toEqual([span.spanContext().traceId, span.spanContext().traceId]);
  });

  it('marks a failure of the server as an error and records the exception', async () => {
    const call = testCall();
    const thrown = new RangeError('index out of range');
    await tracing()(call, nextStep({ error: thrown })).catch(() => undefined);
    call.end({ status: 500, code: 'MARSHAL_ERR_HANDLER', error: thrown });
    const [span] = recording.exporter.getFinishedSpans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'MARSHAL_ERR_HANDLER' });
    expect(span.attributes['error.type']).toBe('MARSHAL_ERR_HANDLER');
    expect(span.events.map((event) => [event.name, event.attributes?.['exception.type'], event.attributes?.['exception.message']])).toEqual([
      ['exception', 'RangeError', 'index out of range'],
    ]);
  });

  it('leaves the status of a refused call (4xx) unset, with its code as error.type', async () => {
    const call = testCall();
    const refusal = new MarshalError('MARSHAL_ERR_UNAUTHORIZED', 'no token');
    await tracing()(call, nextStep({ error: refusal })).catch(() => undefined);
    call.end({ status: 401, code: 'MARSHAL_ERR_UNAUTHORIZED', error: refusal });
    const [span] = recording.exporter.getFinishedSpans();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toMatchObject({ 'http.response.status_code': 401, 'error.type': 'MARSHAL_ERR_UNAUTHORIZED' });
    expect(span.events).toEqual([]);
  });

  it('lasts from the call’s arrival to its end, on the call’s clock', async () => {
    const call = testCall();
    await tracing()(call, nextStep());
    call.end({ durationMs: 0 });
    const [span] = recording.exporter.getFinishedSpans();
    expect(span.duration).toEqual([0, 0]);
    const startedAtMs = span.startTime[0] * 1000 + span.startTime[1] / 1e6;
    expect(Math.abs(startedAtMs - (performance.timeOrigin + call.startedAt))).toBeLessThan(1);
  });

  it('uses the tracer it is given', async () => {
    const call = testCall({ endpoint: 'count' });
    const tracer = trace.getTracer('an-application');
    await tracing({ tracer })(call, nextStep());
    call.end();
    const [span] = recording.exporter.getFinishedSpans();
    expect(span.instrumentationScope.name).toBe('an-application');
  });
});
