/**
 * A usage-telemetry ingestion API shaped like an LLM-usage SDK's wire records (shared/reference
 * modelstat-sdk): batches of events with token counts, tool calls, datetimes, enums sent by value
 * and snake_case keys, with the bounds the SDK itself keeps (batch size, excerpt length).
 */
import { Int, constrained, dto, enumOf, field, optional } from '@marshal/core';

export enum EventKind {
  LLM_CALL = 'llm_call',
  SESSION_START = 'session_start',
  SESSION_END = 'session_end',
}

export enum BillingMode {
  API = 'api',
  SUBSCRIPTION = 'subscription',
}

export enum ToolCallStatus {
  OK = 'ok',
  ERROR = 'error',
  CANCELLED = 'cancelled',
}

const Count = constrained(Int, { min: 0 });
/** The SDK flushes at most this many events per batch. */
export const maxBatchEvents = 256;
/** Excerpts are cut to this many code points before they are sent. */
export const maxExcerptChars = 320;

@dto({ fieldNames: 'snake_case' })
export class TokenUsage {
  @field(Count) input = 0;
  @field(Count) output = 0;
  @field(optional(Count)) cacheRead?: number;
}

@dto({ fieldNames: 'snake_case' })
export class GitContext {
  @field(String) repo!: string;
  @field(optional(String)) branch?: string;
  @field(optional(String)) commit?: string;
}

@dto({ fieldNames: 'snake_case' })
export class RawEvent {
  @field(String) sourceEventId!: string;
  @field(Date) ts!: Date;
  @field(enumOf(EventKind, { name: 'EventKind', byValue: true })) kind = EventKind.LLM_CALL;
  @field(String) agent!: string;
  @field(String) provider!: string;
  @field(String) sessionId!: string;
  @field(TokenUsage) tokens = new TokenUsage();
  @field(optional(String)) model?: string;
  @field(optional(String)) cwd?: string;
  @field(optional(GitContext)) git?: GitContext;
  @field(optional(Count)) durationMs?: number;
  @field(optional(enumOf(BillingMode, { name: 'BillingMode', byValue: true }))) billing?: BillingMode;
  @field(optional(constrained(String, { maxLength: maxExcerptChars }))) contentExcerpt?: string;
}

@dto({ fieldNames: 'snake_case' })
export class ToolCallWire {
  @field(String) externalCallId!: string;
  @field(String) sessionId!: string;
  @field(String) sourceEventId!: string;
  @field(String) agent!: string;
  @field(String) server = 'builtin';
  @field(String) name!: string;
  @field(Count) callIndex = 0;
  @field(Date) startedAt!: Date;
  @field(enumOf(ToolCallStatus, { name: 'ToolCallStatus', byValue: true })) status = ToolCallStatus.OK;
  @field(String) argsHash!: string;
  @field(Count) argsBytes = 0;
  @field(Count) resultBytes = 0;
  @field(optional(String)) model?: string;
  @field(constrained([String], { maxItems: 3 })) commandFamilies: string[] = [];
}

@dto({ fieldNames: 'snake_case' })
export class IngestBatch {
  @field(String) batchId!: string;
  @field(String) deviceId!: string;
  @field(String) daemonVersion!: string;
  @field(constrained([RawEvent], { maxItems: maxBatchEvents })) events: RawEvent[] = [];
  @field([ToolCallWire]) toolCalls: ToolCallWire[] = [];
}

@dto({ fieldNames: 'snake_case' })
export class IngestReceipt {
  /** Events stored by this batch. */
  @field(Int) accepted = 0;
  /** Events already stored by an earlier batch (same source_event_id): a retried flush. */
  @field(Int) duplicates = 0;
  @field(Int) toolCalls = 0;
}

@dto({ fieldNames: 'snake_case' })
export class UsageSummary {
  @field(String) sessionId!: string;
  @field(Int) events = 0;
  @field(Int) inputTokens = 0;
  @field(Int) outputTokens = 0;
  @field(Int) toolCalls = 0;
  @field([String]) models: string[] = [];
  @field(optional(Date)) firstAt?: Date;
  @field(optional(Date)) lastAt?: Date;
}
