import { createRequire } from 'node:module';
import type { Registry } from 'prom-client';
import type { Middleware } from './call.js';

/**
 * prom-client, loaded when metrics are first asked for: a server that counts nothing does not
 * carry it (about 1 MB of heap, which on Node 20 is enough to tip a small server's heap into a
 * mark-compact per 32 MB received; bench/README.md, "WebSocket").
 */
const promClient = (): typeof import('prom-client') => createRequire(import.meta.url)('prom-client') as typeof import('prom-client');

export interface MetricsOptions {
  /** Where the metrics are registered (default: a registry of their own); prom-client's `register` to serve them with yours. */
  readonly registry?: Registry;
  /** Put before each metric's name (default `marshal_`). */
  readonly prefix?: string;
  /** The duration histogram's upper bounds, in seconds (default: prom-client's, 5 ms to 10 s). */
  readonly buckets?: readonly number[];
}

/** Calls counted and timed, and their text in the Prometheus exposition format for a `/metrics` answer. */
export interface CallMetrics {
  /** Counts and times each call it sees; install it once per server, early in the chain. */
  readonly middleware: Middleware;
  readonly registry: Registry;
  /** The `content-type` of `text()`. */
  readonly contentType: string;
  /** Every metric of the registry, in the exposition format. */
  text(): Promise<string>;
}

/**
 * Per endpoint and transport: `marshal_calls_total{service,endpoint,transport,status}`,
 * `marshal_call_errors_total{service,endpoint,transport,status,code}` and the histogram
 * `marshal_call_duration_seconds{service,endpoint,transport}`, each recorded when the call ends.
 * The names are registered once: a second `metrics()` on the same registry throws, so servers
 * that share a registry share one `metrics()`.
 */
export function metrics(options: MetricsOptions = {}): CallMetrics {
  const { Counter, Histogram, Registry } = promClient();
  const registry = options.registry ?? new Registry();
  const prefix = options.prefix ?? 'marshal_';
  const registers = [registry];
  const calls = new Counter({
    name: `${prefix}calls_total`,
    help: 'Calls answered, by endpoint, transport and HTTP status.',
    labelNames: ['service', 'endpoint', 'transport', 'status'],
    registers,
  });
  const errors = new Counter({
    name: `${prefix}call_errors_total`,
    help: 'Calls answered with an error, by endpoint, transport, HTTP status and error code.',
    labelNames: ['service', 'endpoint', 'transport', 'status', 'code'],
    registers,
  });
  const duration = new Histogram({
    name: `${prefix}call_duration_seconds`,
    help: 'From the request’s arrival to the end of its answer, in seconds.',
    labelNames: ['service', 'endpoint', 'transport'],
    ...(options.buckets === undefined ? {} : { buckets: [...options.buckets] }),
    registers,
  });
  const middleware: Middleware = (call, next) => {
    call.onEnd((end) => {
      const { service, endpoint, transport } = call;
      calls.inc({ service, endpoint, transport, status: end.status });
      if (end.code !== undefined) errors.inc({ service, endpoint, transport, status: end.status, code: end.code });
      duration.observe({ service, endpoint, transport }, end.durationMs / 1000);
    });
    return next();
  };
  return { middleware, registry, contentType: registry.contentType, text: () => registry.metrics() };
}
