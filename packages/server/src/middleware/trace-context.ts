import { type Context, ROOT_CONTEXT, type SpanContext, createTraceState, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import type { Call } from './call.js';

/**
 * The caller's span as a call's headers carry it: read by the application's propagator when it
 * has registered one (an OpenTelemetry SDK setup registers W3C Trace Context by default), else
 * from the W3C `traceparent` and `tracestate` headers, which Marshal's client writes without a
 * propagator too. The root context when the call carries none.
 */
export function callerContext(headers: Call['headers']): Context {
  if (propagation.fields().length > 0) return propagation.extract(ROOT_CONTEXT, headers);
  const caller = traceParentOf(headers);
  return caller === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, caller);
}

/**
 * `version-traceid-parentid-flags` (W3C Trace Context, section 3.2): a version other than `ff`,
 * ids that are not all zeros, and nothing after the flags for version 00 (a later version may
 * add fields, which are not read).
 */
const traceParent = /^((?!ff)[\da-f]{2})-((?![0]{32})[\da-f]{32})-((?![0]{16})[\da-f]{16})-([\da-f]{2})(-.*)?$/;

function traceParentOf(headers: Call['headers']): SpanContext | undefined {
  const header = headers.traceparent;
  // Two traceparent headers are not one caller (section 3.2.2.2): ignore both.
  if (typeof header !== 'string') return undefined;
  const match = traceParent.exec(header.trim());
  if (match === null || (match[1] === '00' && match[5] !== undefined)) return undefined;
  const state = headers.tracestate;
  const caller: SpanContext = {
    traceId: match[2],
    spanId: match[3],
    traceFlags: Number.parseInt(match[4], 16),
    isRemote: true,
    // Several tracestate headers are one list (section 3.3.1.1).
    ...(state === undefined ? {} : { traceState: createTraceState(Array.isArray(state) ? state.join(',') : state) }),
  };
  return isSpanContextValid(caller) ? caller : undefined;
}
