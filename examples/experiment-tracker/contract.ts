import { Int, endpoint, service, unimplemented } from '@marshal/core';
import { RunSummary, TrackerRequest } from './models.js';

/** Ingests batches of tracking messages of mixed types and summarises runs. */
@service()
export class IExperimentTracker {
  @endpoint({ params: [['requests', [TrackerRequest]]], returns: Int, description: 'Applies the messages in order; returns how many were applied.' })
  ingest(requests: TrackerRequest[]): Promise<number> {
    return unimplemented();
  }

  @endpoint({ params: [['runId', String]], returns: RunSummary, method: 'GET' })
  run(runId: string): Promise<RunSummary> {
    return unimplemented();
  }
}
