import { endpoint, optional, service, unimplemented } from '@marshal/core';
import { IngestBatch, IngestReceipt, UsageSummary } from './models.js';

/**
 * Takes batches of LLM-usage events from SDKs and daemons, and sums them up per session. Ingesting
 * needs an ingest key (a bearer token, see ingest-keys.ts) where the server installs the guard;
 * the usage summaries are public.
 */
@service()
export class ITelemetry {
  @endpoint({
    params: [['batch', IngestBatch]],
    returns: IngestReceipt,
    // Sending a batch again stores nothing twice, so a client may retry it.
    idempotent: true,
    description: 'Stores a batch of usage events and tool calls; an event stored before (same source_event_id) counts as a duplicate.',
  })
  ingest(batch: IngestBatch): Promise<IngestReceipt> {
    return unimplemented();
  }

  @endpoint({
    params: [['session_id', String], ['since', optional(Date)]],
    returns: UsageSummary,
    method: 'GET',
    access: 'public',
    description: 'Token and tool-call totals of a session, counting events at or after `since` if given.',
  })
  usage(session_id: string, since?: Date): Promise<UsageSummary> {
    return unimplemented();
  }
}
