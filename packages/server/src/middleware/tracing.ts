import { type Span, SpanKind, SpanStatusCode, type Tracer, context, trace } from '@opentelemetry/api';
import type { Call, CallEnd, Middleware } from './call.js';
import { callerContext } from './trace-context.js';

export interface TracingOptions {
  /** The tracer spans are started with (default: `@marshal/server`'s tracer from the global provider). */
  readonly tracer?: Tracer;
}

/**
 * A SERVER span per call, named `<service>/<endpoint>`, whose parent is the caller's span when
 * the request carries one (trace-context.ts). The rest of the chain and the implementation run in
 * the span's context, so the spans they start (a client call to another service, a database
 * query) are its children. The span covers the call from its arrival to its answer's end; a
 * failure of the server's (5xx) sets its status to ERROR and records the exception; any error
 * code is its `error.type`.
 *
 * Without an OpenTelemetry SDK registered, spans do not record, and a call costs a look at its
 * `traceparent` header and a span object that does nothing.
 */
export function tracing(options: TracingOptions = {}): Middleware {
  const tracer = options.tracer ?? trace.getTracer('@marshal/server');
  return (call, next) => {
    const parent = callerContext(call.headers);
    const span = tracer.startSpan(
      `${call.service}/${call.endpoint}`,
      {
        kind: SpanKind.SERVER,
        startTime: call.startedAt,
        attributes: { 'rpc.system': 'marshal', 'rpc.service': call.service, 'rpc.method': call.endpoint },
      },
      parent,
    );
    if (span.isRecording()) call.onEnd((end) => endSpan(span, call, end));
    return context.with(trace.setSpan(parent, span), next);
  };
}

function endSpan(span: Span, call: Call, end: CallEnd): void {
  span.setAttribute('http.response.status_code', end.status);
  if (end.code !== undefined) span.setAttribute('error.type', end.code);
  // As for HTTP server spans: a 4xx is the caller's mistake, not the server's failure.
  if (end.status >= 500) {
    if (end.error !== undefined) span.recordException(end.error instanceof Error ? end.error : describe(end.error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: end.code });
  }
  // Both ends on the call's own clock (performance.now()), so the span lasts what the call did;
  // never past now, which an SDK would take for a time since the epoch.
  span.end(Math.min(call.startedAt + end.durationMs, performance.now()));
}

/** A thrown value that is not an Error, as text (whatever its toString does). */
function describe(thrown: unknown): string {
  try {
    return String(thrown);
  } catch {
    return `a thrown ${typeof thrown}`;
  }
}
