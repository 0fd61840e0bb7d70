import { MarshalError } from '@marshal/core';
import { IExperimentTracker } from './contract.js';
import { MetricValue, RunSummary, type TrackerRequest } from './models.js';

/** How much the in-memory tracker keeps; past these it refuses the batch that would grow it. */
export interface TrackerLimits {
  /** Runs held at once. */
  readonly runs: number;
  /** Distinct metric names per run. */
  readonly metricsPerRun: number;
  /** Distinct metric names over all runs together. */
  readonly metrics: number;
}

export const defaultTrackerLimits: TrackerLimits = { runs: 10_000, metricsPerRun: 1_000, metrics: 100_000 };

/** Marshal refuses these as keys of a recordOf(…) object, so such metrics travel only in `metrics`. */
const unsafeKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A run as the tracker keeps it. Metrics are in a Map keyed by their name: a metric may be called
 * anything, `constructor`, `__proto__` and `hasOwnProperty` included, which a plain object used as a
 * dictionary would break on (`{}['constructor']` is a function, and assigning `__proto__` is lost).
 */
interface RunState {
  readonly runId: string;
  readonly experiment?: string;
  finished: boolean;
  readonly metrics: Map<string, MetricValue>;
  metricCount: number;
  lastTimestamp?: Date;
}

/**
 * An in-memory tracker: each message type updates the run it names. A batch is applied whole or
 * not at all: if any message names a run that does not exist, or would grow the tracker past its
 * limits, nothing of the batch is applied, so the client can fix it and send it again.
 */
export class ExperimentTracker extends IExperimentTracker {
  readonly #runs = new Map<string, RunState>();
  /** Distinct metric names over all runs. */
  #metricTotal = 0;
  readonly #limits: TrackerLimits;

  constructor(limits: Partial<TrackerLimits> = {}) {
    super();
    this.#limits = { ...defaultTrackerLimits, ...limits };
  }

  override async ingest(requests: TrackerRequest[]): Promise<number> {
    // The runs this batch touches, as the batch leaves them; copied from #runs when first touched.
    const staged = new Map<string, RunState>();
    let newRuns = 0;
    const touched = (runId: string): RunState => {
      let run = staged.get(runId);
      if (run === undefined) {
        const stored = this.#runs.get(runId);
        if (stored === undefined) throw new MarshalError('MARSHAL_ERR_NOT_FOUND', `no run ${JSON.stringify(runId)}`);
        run = { ...stored, metrics: new Map(stored.metrics) };
        staged.set(runId, run);
      }
      return run;
    };
    requests.forEach((request, index) => {
      switch (request.type) {
        case 'create_run': {
          // Creating a run that exists starts it afresh.
          if (!this.#runs.has(request.runId) && !staged.has(request.runId)) {
            if (this.#runs.size + newRuns >= this.#limits.runs) {
              throw tooMany(index, 'run_id', `the tracker keeps at most ${this.#limits.runs} runs`);
            }
            newRuns++;
          }
          staged.set(request.runId, { runId: request.runId, experiment: request.experiment, finished: false, metrics: new Map(), metricCount: 0 });
          break;
        }
        case 'log_metric': {
          const run = touched(request.runId);
          if (!run.metrics.has(request.name) && run.metrics.size >= this.#limits.metricsPerRun) {
            throw tooMany(index, 'name', `the run ${JSON.stringify(request.runId)} already has ${this.#limits.metricsPerRun} metrics, the most a run may have`);
          }
          run.metrics.set(request.name, Object.assign(new MetricValue(), { name: request.name, value: request.value, step: request.step, timestamp: request.timestamp }));
          run.metricCount++;
          run.lastTimestamp = request.timestamp;
          break;
        }
        case 'finish_run':
          touched(request.runId).finished = true;
          break;
      }
    });
    let metricTotal = this.#metricTotal;
    for (const [runId, run] of staged) metricTotal += run.metrics.size - (this.#runs.get(runId)?.metrics.size ?? 0);
    if (metricTotal > this.#limits.metrics) {
      throw new MarshalError('MARSHAL_ERR_BAD_PARAMETER', `parameter 'requests': the tracker keeps at most ${this.#limits.metrics} metrics over all runs`, {
        parameter: 'requests',
        issues: [{ path: 'requests', message: `the tracker keeps at most ${this.#limits.metrics} metrics over all runs; this batch would make ${metricTotal}` }],
      });
    }
    for (const [runId, run] of staged) this.#runs.set(runId, run);
    this.#metricTotal = metricTotal;
    return requests.length;
  }

  override async run(runId: string): Promise<RunSummary> {
    const run = this.#runs.get(runId);
    if (run === undefined) throw new MarshalError('MARSHAL_ERR_NOT_FOUND', `no run ${JSON.stringify(runId)}`);
    const metrics = [...run.metrics.values()];
    // A fresh object per answer, with only own keys, so no metric name can reach a prototype.
    const lastValues: Record<string, number> = Object.create(null);
    for (const metric of metrics) if (!unsafeKeys.has(metric.name)) lastValues[metric.name] = metric.value;
    return Object.assign(new RunSummary(), {
      runId: run.runId,
      experiment: run.experiment,
      finished: run.finished,
      lastValues,
      metrics,
      metricCount: run.metricCount,
      lastTimestamp: run.lastTimestamp,
    });
  }
}

/** A 400 naming the message of the batch that would grow the tracker past a limit. */
function tooMany(index: number, field: string, why: string): MarshalError {
  return new MarshalError('MARSHAL_ERR_BAD_PARAMETER', `parameter 'requests': [${index}].${field}: ${why}`, {
    parameter: 'requests',
    issues: [{ path: `requests[${index}].${field}`, message: why }],
  });
}
