/**
 * Requests shaped like an experiment tracker's ingestion API (shared/reference matyan-api-models):
 * one message type per action, told apart by a literal "type" key, snake_case keys on the wire.
 */
import { Int, JsonObject, dto, field, literal, optional, recordOf, taggedUnion } from '@marshal/core';

@dto({ fieldNames: 'snake_case' })
export class CreateRunRequest {
  @field(literal('create_run')) type = 'create_run' as const;
  @field(String) runId!: string;
  @field(optional(String)) experiment?: string;
}

@dto({ fieldNames: 'snake_case' })
export class LogMetricRequest {
  @field(literal('log_metric')) type = 'log_metric' as const;
  @field(String) runId!: string;
  @field(String) name!: string;
  @field(Number) value!: number;
  @field(Int) step!: number;
  @field(optional(JsonObject)) context?: Record<string, unknown>;
  @field(Date) timestamp!: Date;
}

@dto({ fieldNames: 'snake_case' })
export class FinishRunRequest {
  @field(literal('finish_run')) type = 'finish_run' as const;
  @field(String) runId!: string;
}

export const TrackerRequest = taggedUnion('type', [CreateRunRequest, LogMetricRequest, FinishRunRequest]);
export type TrackerRequest = CreateRunRequest | LogMetricRequest | FinishRunRequest;

@dto({ fieldNames: 'snake_case' })
export class RunSummary {
  @field(String) runId!: string;
  @field(optional(String)) experiment?: string;
  @field(Boolean) finished = false;
  /** The latest value of each metric. */
  @field(recordOf(Number)) lastValues: Record<string, number> = {};
  @field(Int) metricCount = 0;
  @field(optional(Date)) lastTimestamp?: Date;
}
