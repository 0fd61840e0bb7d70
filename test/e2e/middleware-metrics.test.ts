/** GET /metrics on a real server with `metrics: metrics()`: what the calls before it left there. */
import { describe, expect, it } from 'vitest';
import { Int, MarshalError, endpoint, service, unimplemented } from '@marshal/core';
import { closeClient, createClient } from '@marshal/client';
import { metrics } from '@marshal/server';
import { serveForTests } from '../helpers/serve.js';

@service({ name: 'counter' })
class ICounter {
  @endpoint({ params: [['by', Int]], returns: Int })
  add(by: number): Promise<number> { return unimplemented(); }
}

class Counter extends ICounter {
  value = 0;
  override async add(by: number) {
    if (by < 0) throw new MarshalError('MARSHAL_ERR_INVALID', 'a counter only goes up');
    return (this.value += by);
  }
}

const served = serveForTests({ services: [new Counter()], metrics: metrics() });

describe('GET /metrics', () => {
  it('serves the Prometheus text of the calls answered so far', async () => {
    const api = createClient(ICounter, served.url);
    try {
      await api.add(1);
      await api.add(2);
      await expect(api.add(-1)).rejects.toMatchObject({ code: 'MARSHAL_ERR_INVALID' });
    } finally {
      await closeClient(api);
    }
    const answer = await fetch(`${served.url}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await answer.text();
    expect(text).toContain('# TYPE marshal_calls_total counter');
    expect(text).toContain('marshal_calls_total{service="counter",endpoint="add",transport="http",status="200"} 2');
    expect(text).toContain('marshal_calls_total{service="counter",endpoint="add",transport="http",status="422"} 1');
    expect(text).toContain('marshal_call_errors_total{service="counter",endpoint="add",transport="http",status="422",code="MARSHAL_ERR_INVALID"} 1');
    expect(text).toContain('# TYPE marshal_call_duration_seconds histogram');
    expect(text).toContain('marshal_call_duration_seconds_count{service="counter",endpoint="add",transport="http"} 3');
    expect(text).toContain('marshal_call_duration_seconds_bucket{le="+Inf",service="counter",endpoint="add",transport="http"} 3');
  });

  it('does not count itself, nor paths that are not endpoints', async () => {
    await fetch(`${served.url}/nothing-here`).then((r) => r.text());
    const text = await fetch(`${served.url}/metrics`).then((r) => r.text());
    expect(text).not.toMatch(/endpoint="(metrics|nothing-here)"/);
  });
});
