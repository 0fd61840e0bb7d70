/**
 * DTOs shaped like a real agent server's REST models (shared/reference agentserver-models):
 * camelCase JSON keys, string enums sent by value, ISO date-times, optional fields.
 */
import { Int, JsonObject, constrained, enumOf, field, optional } from '@marshal/core';

export enum ThreadStatus {
  ACTIVE = 'active',
  COMPLETED = 'completed',
  ERROR = 'error',
  KILLED = 'killed',
}

export const ThreadStatusType = enumOf(ThreadStatus, { name: 'ThreadStatus', byValue: true });

export class ThreadInfo {
  @field(String) id!: string;
  @field(ThreadStatusType) status: ThreadStatus = ThreadStatus.ACTIVE;
  @field([String]) participants: string[] = [];
  @field(Int) messageCount = 0;
  @field(Date) createdAt!: Date;
  @field(optional(Date)) lastActivity?: Date;
  @field(optional(String)) error?: string;
}

/** An agent's name as the agent server accepts it. */
export const AgentName = constrained(String, { minLength: 1, maxLength: 64, pattern: /^[A-Za-z0-9_.-]+$/ });

/** A thread id a client picks: at least one character, so that `GET /agent-server/thread/<id>` can name it. */
export const ThreadId = constrained(String, { minLength: 1, maxLength: 128 });

export class InjectRequest {
  @field(AgentName) to!: string;
  @field(JsonObject) payload!: JsonObject;
  @field(optional(ThreadId)) threadId?: string;
}

export class InjectResponse {
  @field(String) threadId!: string;
  @field(String) messageId!: string;
}
