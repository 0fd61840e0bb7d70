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
/** Tool calls per batch: every one of them is kept, so a batch may not carry an unbounded number. */
export const maxBatchToolCalls = 1024;

// Everything an event or a tool call holds is kept in memory: each text it carries has a bound.
/** Ids: source_event_id, session_id, external_call_id. */
const Id = constrained(String, { maxLength: 128 });
/** Names: agent, provider, model, tool and server names, git refs, hashes. */
const Name = constrained(String, { maxLength: 256 });
/** A working directory. */
const PathText = constrained(String, { maxLength: 4096 });

@dto({ fieldNames: 'snake_case' })
export class TokenUsage {
  @field(Count) input = 0;
  @field(Count) output = 0;
  @field(optional(Count)) cacheRead?: number;
}

@dto({ fieldNames: 'snake_case' })
export class GitContext {
  @field(Name) repo!: string;
  @field(optional(Name)) branch?: string;
  @field(optional(Name)) commit?: string;
}

@dto({ fieldNames: 'snake_case' })
export class RawEvent {
  @field(Id) sourceEventId!: string;
  @field(Date) ts!: Date;
  @field(enumOf(EventKind, { name: 'EventKind', byValue: true })) kind = EventKind.LLM_CALL;
  @field(Name) agent!: string;
  @field(Name) provider!: string;
  @field(Id) sessionId!: string;
  @field(TokenUsage) tokens = new TokenUsage();
  @field(optional(Name)) model?: string;
  @field(optional(PathText)) cwd?: string;
  @field(optional(GitContext)) git?: GitContext;
  @field(optional(Count)) durationMs?: number;
  @field(optional(enumOf(BillingMode, { name: 'BillingMode', byValue: true }))) billing?: BillingMode;
  @field(optional(constrained(String, { maxLength: maxExcerptChars }))) contentExcerpt?: string;
}

@dto({ fieldNames: 'snake_case' })
export class ToolCallWire {
  @field(Id) externalCallId!: string;
  @field(Id) sessionId!: string;
  @field(Id) sourceEventId!: string;
  @field(Name) agent!: string;
  @field(Name) server = 'builtin';
  @field(Name) name!: string;
  @field(Count) callIndex = 0;
  @field(Date) startedAt!: Date;
  @field(enumOf(ToolCallStatus, { name: 'ToolCallStatus', byValue: true })) status = ToolCallStatus.OK;
  @field(Name) argsHash!: string;
  @field(Count) argsBytes = 0;
  @field(Count) resultBytes = 0;
  @field(optional(Name)) model?: string;
  @field(constrained([Name], { maxItems: 3 })) commandFamilies: string[] = [];
}

@dto({ fieldNames: 'snake_case' })
export class IngestBatch {
  @field(String) batchId!: string;
  @field(String) deviceId!: string;
  @field(String) daemonVersion!: string;
  @field(constrained([RawEvent], { maxItems: maxBatchEvents })) events: RawEvent[] = [];
  @field(constrained([ToolCallWire], { maxItems: maxBatchToolCalls })) toolCalls: ToolCallWire[] = [];
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
