import { MarshalError } from '@marshal/core';
import { IExperimentTracker } from './contract.js';
import { RunSummary, type TrackerRequest } from './models.js';

/** An in-memory tracker: each message type updates the run it names. */
export class ExperimentTracker extends IExperimentTracker {
  readonly #runs = new Map<string, RunSummary>();

  override async ingest(requests: TrackerRequest[]): Promise<number> {
    for (const request of requests) {
      switch (request.type) {
        case 'create_run':
          this.#runs.set(request.runId, Object.assign(new RunSummary(), { runId: request.runId, experiment: request.experiment }));
          break;
        case 'log_metric': {
          const run = this.#existing(request.runId);
          run.lastValues[request.name] = request.value;
          run.metricCount++;
          run.lastTimestamp = request.timestamp;
          break;
        }
        case 'finish_run':
          this.#existing(request.runId).finished = true;
          break;
      }
    }
    return requests.length;
  }

  override async run(runId: string): Promise<RunSummary> {
    return this.#existing(runId);
  }

  #existing(runId: string): RunSummary {
    const run = this.#runs.get(runId);
    if (!run) throw new MarshalError('MARSHAL_ERR_NOT_FOUND', `no run ${JSON.stringify(runId)}`);
    return run;
  }
}
