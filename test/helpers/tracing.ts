import { context, trace } from '@opentelemetry/api';
import { AsyncHooksContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * The OpenTelemetry SDK as an application registers it, with finished spans kept in memory: the
 * global tracer provider and an async-hooks context manager (so a span's context follows a call
 * through its awaits). No propagator: Marshal reads and writes `traceparent` without one. For one
 * test file (each runs in its own process); `stop()` unregisters it all.
 */
export function recordSpans(): { readonly exporter: InMemorySpanExporter; stop(): Promise<void> } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  context.setGlobalContextManager(new AsyncHooksContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return {
    exporter,
    async stop() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
