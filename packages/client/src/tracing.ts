import { type Span, SpanKind, SpanStatusCode, type Tracer, context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import type { EndpointModel } from '@marshal/core/internal';

/** What the spans of one client share: the tracer, and the server they call. */
export interface ClientTracing {
  readonly tracer: Tracer;
  readonly serverAddress: string;
  readonly serverPort: number;
}

/** The tracing of a client made with `tracing: true`: the global provider's tracer, a no-op until an application registers an SDK. */
export function clientTracing(url: URL): ClientTracing {
  return {
    tracer: trace.getTracer('@marshal/client'),
    serverAddress: url.hostname,
    serverPort: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
  };
}

/**
 * The CLIENT span of one call, named `<service>/<endpoint>` like the server's span of it, a child
 * of the span active where the call is made. It covers the call from its start to its answer's
 * end (a streamed answer's last item), retries included.
 */
export class CallSpan {
  readonly #span: Span;

  constructor(tracing: ClientTracing, endpoint: EndpointModel) {
    this.#span = tracing.tracer.startSpan(`${endpoint.serviceName}/${endpoint.name}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'rpc.system': 'marshal',
        'rpc.service': endpoint.serviceName,
        'rpc.method': endpoint.name,
        'server.address': tracing.serverAddress,
        'server.port': tracing.serverPort,
      },
    });
  }

  /**
   * Writes the span's context into a request's headers with the application's propagator. With
   * none registered, the W3C `traceparent` and `tracestate` are written as they are: they are
   * what a Marshal server reads.
   */
  inject(headers: Record<string, string>): void {
    propagation.inject(trace.setSpan(context.active(), this.#span), headers);
    if (propagation.fields().length > 0) return;
    const { traceId, spanId, traceFlags, traceState } = this.#span.spanContext();
    if (!isSpanContextValid({ traceId, spanId, traceFlags })) return;
    headers.traceparent = `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`;
    const state = traceState?.serialize();
    if (state) headers.tracestate = state;
  }

  answered(status: number): void {
    this.#span.setAttribute('http.response.status_code', status);
  }

  /** The call is over: with `error` when it failed (an error answer, no answer, or an answer that does not fit). */
  end(error: unknown): void {
    if (error !== undefined) {
      const { code, status } = error as { code?: unknown; status?: unknown };
      if (typeof status === 'number') this.answered(status);
      if (typeof code === 'string') this.#span.setAttribute('error.type', code);
      this.#span.recordException(error instanceof Error ? error : String(error));
      this.#span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
    }
    this.#span.end();
  }
}
