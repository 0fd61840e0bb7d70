import { afterEach, describe, expect, it } from 'vitest';
import { type TextMapPropagator, TraceFlags, propagation, trace } from '@opentelemetry/api';
import { callerContext } from './trace-context.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanId = '00f067aa0ba902b7';

function callerOf(headers: Record<string, string | string[]>) {
  return trace.getSpanContext(callerContext(headers));
}

describe('callerContext without a registered propagator', () => {
  it('reads the caller from traceparent and tracestate (W3C Trace Context)', () => {
    const caller = callerOf({ traceparent: `00-${traceId}-${spanId}-01`, tracestate: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7' });
    expect(caller).toMatchObject({ traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(caller?.traceState?.get('congo')).toBe('t61rcWkgMzE');
    expect(caller?.traceState?.serialize()).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
  });

  it('joins several tracestate headers into one list, and takes a later version’s extra fields', () => {
    const caller = callerOf({ traceparent: `01-${traceId}-${spanId}-00-more`, tracestate: ['a=1', 'b=2'] });
    expect(caller).toMatchObject({ traceId, spanId, traceFlags: TraceFlags.NONE });
    expect(caller?.traceState?.serialize()).toBe('a=1,b=2');
  });

  it.each([
    ['no traceparent', {}],
    ['version ff', { traceparent: `ff-${traceId}-${spanId}-01` }],
    ['version 00 with more fields', { traceparent: `00-${traceId}-${spanId}-01-more` }],
    ['an all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${spanId}-01` }],
    ['an all-zero span id', { traceparent: `00-${traceId}-${'0'.repeat(16)}-01` }],
    ['upper-case hex', { traceparent: `00-${traceId.toUpperCase()}-${spanId}-01` }],
    ['a short trace id', { traceparent: `00-${traceId.slice(1)}-${spanId}-01` }],
    ['two traceparent headers', { traceparent: [`00-${traceId}-${spanId}-01`, `00-${traceId}-${spanId}-01`] }],
  ])('starts a new trace for %s', (_, headers) => {
    expect(callerOf(headers)).toBeUndefined();
  });
});

describe('callerContext with a registered propagator', () => {
  afterEach(() => propagation.disable());

  it('reads the caller through the application’s propagator, not from traceparent', () => {
    // An application's own header format, as a propagator it registers would read it.
    const singleHeader: TextMapPropagator = {
      fields: () => ['x-trace'],
      inject: () => undefined,
      extract: (context, carrier, getter) => {
        const [id, parent] = String(getter.get(carrier, 'x-trace') ?? '').split(':');
        return id && parent ? trace.setSpanContext(context, { traceId: id, spanId: parent, traceFlags: TraceFlags.SAMPLED, isRemote: true }) : context;
      },
    };
    propagation.setGlobalPropagator(singleHeader);
    const otherTrace = 'a'.repeat(32);
    expect(callerOf({ 'x-trace': `${otherTrace}:${'b'.repeat(16)}`, traceparent: `00-${traceId}-${spanId}-01` })).toMatchObject({ traceId: otherTrace });
    expect(callerOf({ traceparent: `00-${traceId}-${spanId}-01` })).toBeUndefined();
  });
});
