import { afterAll, describe, expect, it } from 'vitest';
import { closeClient, createClient } from '@marshal/client';
import { IExperimentTracker } from '../../examples/experiment-tracker/contract.js';
import { ExperimentTracker } from '../../examples/experiment-tracker/experiment-tracker.js';
import { CreateRunRequest, LogMetricRequest, MetricValue, RunSummary } from '../../examples/experiment-tracker/models.js';
import { serveForTests } from '../helpers/serve.js';
import { expectError, issue, post } from '../helpers/http.js';

describe('the experiment-tracker example: a tagged union of snake_case messages', () => {
  const served = serveForTests({ services: [new ExperimentTracker()] });
  let api: IExperimentTracker;
  afterAll(() => closeClient(api));

  it('takes a mixed batch as any client would send it', async () => {
    const answer = await post(`${served.url}/experiment-tracker/ingest`, {
      requests: [
        { type: 'create_run', run_id: 'r1', experiment: 'baseline' },
        { type: 'log_metric', run_id: 'r1', name: 'loss', value: 0.5, step: 1, timestamp: '2026-03-01T10:00:00Z' },
        { type: 'log_metric', run_id: 'r1', name: 'loss', value: 0.25, step: 2, timestamp: '2026-03-01T10:00:05Z', context: { subset: 'train' } },
        { type: 'finish_run', run_id: 'r1' },
      ],
    });
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: 4 });
    const run = await fetch(`${served.url}/experiment-tracker/run/r1`);
    expect(await run.json()).toEqual({
      run_id: 'r1',
      experiment: 'baseline',
      finished: true,
      last_values: { loss: 0.25 },
      metrics: [{ name: 'loss', value: 0.25, step: 2, timestamp: '2026-03-01T10:00:05.000Z' }],
      metric_count: 2,
      last_timestamp: '2026-03-01T10:00:05.000Z',
    });
  });

  it('names the message whose type it does not know, and where', async () => {
    const answer = await post(`${served.url}/experiment-tracker/ingest`, { requests: [{ type: 'create_run', run_id: 'r2' }, { type: 'log_image', run_id: 'r2' }] });
    expectError(answer, 400, {
      code: 'MARSHAL_ERR_BAD_PARAMETER',
      message: `parameter 'requests': [1].type: expected one of "create_run", "log_metric", "finish_run", got "log_image"`,
      parameter: 'requests',
      issues: [issue('requests[1].type', 'expected one of "create_run", "log_metric", "finish_run", got "log_image"')],
    });
  });

  it('round-trips class instances through the client', async () => {
    api = createClient(IExperimentTracker, served.url);
    const create = Object.assign(new CreateRunRequest(), { runId: 'r3' });
    const metric = Object.assign(new LogMetricRequest(), { runId: 'r3', name: 'acc', value: 0.9, step: 7, timestamp: new Date('2026-03-02T00:00:00Z') });
    expect(await api.ingest([create, metric])).toBe(2);
    const run = await api.run('r3');
    expect(run).toBeInstanceOf(RunSummary);
    expect(run).toMatchObject({ runId: 'r3', finished: false, lastValues: { acc: 0.9 }, metricCount: 1 });
    expect(run.metrics).toEqual([Object.assign(new MetricValue(), { name: 'acc', value: 0.9, step: 7, timestamp: new Date('2026-03-02T00:00:00Z') })]);
    expect(run.metrics[0]).toBeInstanceOf(MetricValue);
    expect(run.lastTimestamp).toEqual(new Date('2026-03-02T00:00:00Z'));
  });
});
