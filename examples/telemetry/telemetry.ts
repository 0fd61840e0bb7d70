import { ITelemetry } from './contract.js';
import { type IngestBatch, IngestReceipt, type RawEvent, type ToolCallWire, UsageSummary } from './models.js';

/** An in-memory ingestion service: events are kept once per source_event_id, so retried batches are harmless. */
export class Telemetry extends ITelemetry {
  readonly #events = new Map<string, RawEvent>();
  readonly #toolCalls = new Map<string, ToolCallWire>();

  override async ingest(batch: IngestBatch): Promise<IngestReceipt> {
    const receipt = new IngestReceipt();
    for (const event of batch.events) {
      if (this.#events.has(event.sourceEventId)) {
        receipt.duplicates++;
        continue;
      }
      this.#events.set(event.sourceEventId, event);
      receipt.accepted++;
    }
    for (const call of batch.toolCalls) {
      if (this.#toolCalls.has(call.externalCallId)) continue;
      this.#toolCalls.set(call.externalCallId, call);
      receipt.toolCalls++;
    }
    return receipt;
  }

  override async usage(session_id: string, since?: Date): Promise<UsageSummary> {
    const summary = Object.assign(new UsageSummary(), { sessionId: session_id });
    const models = new Set<string>();
    for (const event of this.#events.values()) {
      if (event.sessionId !== session_id || (since !== undefined && event.ts < since)) continue;
      summary.events++;
      summary.inputTokens += event.tokens.input;
      summary.outputTokens += event.tokens.output;
      if (event.model !== undefined) models.add(event.model);
      if (summary.firstAt === undefined || event.ts < summary.firstAt) summary.firstAt = event.ts;
      if (summary.lastAt === undefined || event.ts > summary.lastAt) summary.lastAt = event.ts;
    }
    for (const call of this.#toolCalls.values()) {
      if (call.sessionId === session_id && (since === undefined || call.startedAt >= since)) summary.toolCalls++;
    }
    summary.models = [...models].sort();
    return summary;
  }
}
