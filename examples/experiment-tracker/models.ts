/**
 * Requests shaped like an experiment tracker's ingestion API (shared/reference matyan-api-models):
 * one message type per action, told apart by a literal "type" key, snake_case keys on the wire.
 */
import { Int, JsonObject, constrained, dto, field, literal, optional, recordOf, taggedUnion } from '@marshal/core';

/** A run id: at least one character, so that `GET /experiment-tracker/run/<id>` can name it. */
export const RunId = constrained(String, { minLength: 1, maxLength: 256 });
/** A metric or experiment name. Any text, `constructor` and `__proto__` included. */
export const Name = constrained(String, { maxLength: 256 });

@dto({ fieldNames: 'snake_case' })
export class CreateRunRequest {
  @field(literal('create_run')) type = 'create_run' as const;
  @field(RunId) runId!: string;
  @field(optional(Name)) experiment?: string;
}

@dto({ fieldNames: 'snake_case' })
export class LogMetricRequest {
  @field(literal('log_metric')) type = 'log_metric' as const;
  @field(RunId) runId!: string;
  @field(Name) name!: string;
  @field(Number) value!: number;
  @field(Int) step!: number;
  @field(optional(JsonObject)) context?: JsonObject;
  @field(Date) timestamp!: Date;
}

@dto({ fieldNames: 'snake_case' })
export class FinishRunRequest {
  @field(literal('finish_run')) type = 'finish_run' as const;
  @field(RunId) runId!: string;
}

export const TrackerRequest = taggedUnion('type', [CreateRunRequest, LogMetricRequest, FinishRunRequest]);
export type TrackerRequest = CreateRunRequest | LogMetricRequest | FinishRunRequest;

/** The latest value logged for one metric of a run. */
@dto({ fieldNames: 'snake_case' })
export class MetricValue {
  @field(String) name!: string;
  @field(Number) value!: number;
  @field(Int) step!: number;
  @field(Date) timestamp!: Date;
}

@dto({ fieldNames: 'snake_case' })
export class RunSummary {
  @field(String) runId!: string;
  @field(optional(String)) experiment?: string;
  @field(Boolean) finished = false;
  /**
   * The latest value of each metric, keyed by name. Marshal refuses the keys `__proto__`,
   * `constructor` and `prototype` in a recordOf(…) object, both ways (docs/protocol.md), so metrics
   * with those three names are left out here; `metrics` has every metric.
   */
  @field(recordOf(Number)) lastValues: Record<string, number> = {};
  /** Every metric with its latest value, step and timestamp, in the order each was first logged. */
  @field([MetricValue]) metrics: MetricValue[] = [];
  /** How many log_metric messages the run has taken. */
  @field(Int) metricCount = 0;
  @field(optional(Date)) lastTimestamp?: Date;
}
