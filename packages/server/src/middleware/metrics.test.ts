import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { metrics } from './metrics.js';
import { nextStep, testCall } from './test-call.js';

async function callThrough(middleware: ReturnType<typeof metrics>['middleware'], end: Parameters<ReturnType<typeof testCall>['end']>[0], endpoint: 'add' | 'count' = 'add') {
  const call = testCall({ endpoint });
  await middleware(call, nextStep());
  call.end(end);
}

describe('metrics', () => {
  it('counts calls by status, errors by code, and times them per endpoint', async () => {
    const observed = metrics();
    await callThrough(observed.middleware, { status: 200, durationMs: 3 });
    await callThrough(observed.middleware, { status: 200, durationMs: 40 });
    await callThrough(observed.middleware, { status: 401, code: 'MARSHAL_ERR_UNAUTHORIZED', durationMs: 0.2 });
    await callThrough(observed.middleware, { status: 200, durationMs: 1 }, 'count');
    const text = await observed.text();
    expect(text).toContain('marshal_calls_total{service="inventory",endpoint="add",transport="http",status="200"} 2');
    expect(text).toContain('marshal_calls_total{service="inventory",endpoint="add",transport="http",status="401"} 1');
    expect(text).toContain('marshal_calls_total{service="inventory",endpoint="count",transport="http",status="200"} 1');
    expect(text).toContain('marshal_call_errors_total{service="inventory",endpoint="add",transport="http",status="401",code="MARSHAL_ERR_UNAUTHORIZED"} 1');
    expect(text).not.toMatch(/marshal_call_errors_total\{[^}]*status="200"/);
    expect(text).toContain('marshal_call_duration_seconds_count{service="inventory",endpoint="add",transport="http"} 3');
    expect(text).toContain('marshal_call_duration_seconds_bucket{le="0.005",service="inventory",endpoint="add",transport="http"} 2');
    expect(text).toContain('marshal_call_duration_seconds_bucket{le="0.05",service="inventory",endpoint="add",transport="http"} 3');
    expect(observed.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('records nothing until a call ends', async () => {
    const observed = metrics();
    await observed.middleware(testCall(), nextStep());
    expect(await observed.text()).not.toMatch(/^marshal_calls_total\{/m);
  });

  it('registers in the registry it is given, under the prefix and buckets it is given', async () => {
    const registry = new Registry();
    const observed = metrics({ registry, prefix: 'shop_', buckets: [0.5] });
    await callThrough(observed.middleware, { status: 200, durationMs: 100 });
    expect(observed.registry).toBe(registry);
    const text = await registry.metrics();
    expect(text).toContain('shop_calls_total{');
    expect(text).toContain('shop_call_duration_seconds_bucket{le="0.5",service="inventory",endpoint="add",transport="http"} 1');
    expect(() => metrics({ registry, prefix: 'shop_' })).toThrow(/already been registered/);
  });
});
