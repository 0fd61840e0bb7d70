import { MarshalError } from '@marshal/core';
import { ITelemetry } from './contract.js';
import { type IngestBatch, IngestReceipt, type RawEvent, type ToolCallWire, UsageSummary } from './models.js';

/** How much the in-memory store keeps; past these it refuses the batch that would grow it. */
export interface TelemetryLimits {
  /** Events stored (distinct source_event_ids). */
  readonly events: number;
  /** Tool calls stored (distinct external_call_ids). */
  readonly toolCalls: number;
}

export const defaultTelemetryLimits: TelemetryLimits = { events: 20_000, toolCalls: 20_000 };

/**
 * An in-memory ingestion service: events are kept once per source_event_id, so retried batches are
 * harmless. A batch is stored whole or not at all: one that would take the store past its limits is
 * refused, and a retry of a batch already stored (all duplicates) is still answered.
 */
export class Telemetry extends ITelemetry {
  readonly #events = new Map<string, RawEvent>();
  readonly #toolCalls = new Map<string, ToolCallWire>();
  readonly #limits: TelemetryLimits;

  constructor(limits: Partial<TelemetryLimits> = {}) {
    super();
    this.#limits = { ...defaultTelemetryLimits, ...limits };
  }

  override async ingest(batch: IngestBatch): Promise<IngestReceipt> {
    const newEvents = new Map<string, RawEvent>();
    let duplicates = 0;
    for (const event of batch.events) {
      if (this.#events.has(event.sourceEventId) || newEvents.has(event.sourceEventId)) duplicates++;
      else newEvents.set(event.sourceEventId, event);
    }
    const newCalls = new Map<string, ToolCallWire>();
    for (const call of batch.toolCalls) {
      if (!this.#toolCalls.has(call.externalCallId) && !newCalls.has(call.externalCallId)) newCalls.set(call.externalCallId, call);
    }
    if (this.#events.size + newEvents.size > this.#limits.events) throw full('events', this.#limits.events, newEvents.size);
    if (this.#toolCalls.size + newCalls.size > this.#limits.toolCalls) throw full('tool_calls', this.#limits.toolCalls, newCalls.size);
    for (const [id, event] of newEvents) this.#events.set(id, event);
    for (const [id, call] of newCalls) this.#toolCalls.set(id, call);
    return Object.assign(new IngestReceipt(), { accepted: newEvents.size, duplicates, toolCalls: newCalls.size });
  }

  override async usage(session_id: string, since?: Date): Promise<UsageSummary> {
    const summary = Object.assign(new UsageSummary(), { sessionId: session_id });
    const models = new Set<string>();
    for (const event of this.#events.values()) {
      if (event.sessionId !== session_id || (since !== undefined && event.ts < since)) continue;
      summary.events++;
      summary.inputTokens = saturatingSum(summary.inputTokens, event.tokens.input);
      summary.outputTokens = saturatingSum(summary.outputTokens, event.tokens.output);
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

/**
 * A sum of token counts that stays an Int. Each count may be as large as 2^53 - 1, so two of them
 * could add up to a number the result cannot carry (Int is a safe integer), and every later usage
 * call for the session would fail; past that the total stays at the largest safe integer.
 */
function saturatingSum(total: number, count: number): number {
  return Math.min(total + count, Number.MAX_SAFE_INTEGER);
}

/** A 400 for a batch whose new items would not fit in the store. */
function full(field: 'events' | 'tool_calls', limit: number, adding: number): MarshalError {
  const why = `the store keeps at most ${limit} ${field === 'events' ? 'events' : 'tool calls'}; this batch adds ${adding} new ones, which do not fit`;
  return new MarshalError('MARSHAL_ERR_BAD_PARAMETER', `parameter 'batch': ${field}: ${why}`, { parameter: 'batch', issues: [{ path: `batch.${field}`, message: why }] });
}
