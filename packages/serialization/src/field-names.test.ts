/**
 * Wire names of fields: @field(D, { name }) and @dto({ fieldNames }), modelled on
 * agentserver-models.py, whose models are pydantic CamelModels (alias_generator=to_camel,
 * populate_by_name=True): snake_case in code, camelCase on the wire, both read on input.
 */
import { describe, expect, it } from 'vitest';
import { type ClassType, Int, JsonObject, enumOf, optional } from './descriptor.js';
import { field } from './field.js';
import { dto } from './dto.js';
import { codecFor, resolvedCodecFor } from './codec.js';
import { type ClassNode, toTypeNode } from './type-node.js';
import { errorOf, make, typeErrorOf } from './test-fixtures.js';

enum ThreadStatus {
  ACTIVE = 'active',
  COMPLETED = 'completed',
  ERROR = 'error',
  KILLED = 'killed',
}

@dto({ fieldNames: 'camelCase' })
class ThreadInfo {
  @field(String) id!: string;
  @field(enumOf(ThreadStatus, { byValue: true })) status!: ThreadStatus;
  @field(optional(Int)) message_count?: number = 0;
  @field(Date) created_at!: Date;
  @field(optional(Date)) last_activity?: Date;
}

/** Explicit aliases win over the class's naming: from_id travels as "from", not "fromId". */
@dto({ fieldNames: 'camelCase' })
class MessageInfo {
  @field(String) thread_id!: string;
  @field(String, { name: 'from' }) from_id!: string;
  @field(String, { name: 'to' }) to_id!: string;
  @field(JsonObject) payload!: JsonObject;
  @field(optional(Int)) slot_index?: number;
}

/** Aliases without a class naming, as InjectResponse spells them out. */
class InjectResponse {
  @field(String, { name: 'threadId' }) thread_id!: string;
  @field(String, { name: 'messageId' }) message_id!: string;
}

/** A subclass takes its parent's naming, as WSThreadUpdatedEvent(WSEvent) does. */
@dto({ fieldNames: 'camelCase' })
class WsEvent {
  @field(String) event!: string;
}
class WsThreadUpdatedEvent extends WsEvent {
  @field(String) thread_id!: string;
  @field(Int) message_count!: number;
}

/** The reverse, for camelCase code talking to a snake_case API. */
@dto({ fieldNames: 'snake_case' })
class UsageTotals {
  @field(Int) totalTokens!: number;
  @field(Number) avgLatencyMs!: number;
}

const wireNames = (type: ClassType) => (toTypeNode(type) as ClassNode).shape().fields.map((f) => `${f.property}→${f.name}`);

const created = new Date('2026-01-27T21:20:36.000Z');

describe('wire names', () => {
  it('are what to_camel makes of each property, unless a field names its own', () => {
    expect(wireNames(ThreadInfo)).toEqual(['id→id', 'status→status', 'message_count→messageCount', 'created_at→createdAt', 'last_activity→lastActivity']);
    expect(wireNames(MessageInfo)).toEqual(['thread_id→threadId', 'from_id→from', 'to_id→to', 'payload→payload', 'slot_index→slotIndex']);
    expect(wireNames(WsThreadUpdatedEvent)).toEqual(['event→event', 'thread_id→threadId', 'message_count→messageCount']);
    expect(wireNames(UsageTotals)).toEqual(['totalTokens→total_tokens', 'avgLatencyMs→avg_latency_ms']);
  });

  it('are written on output, in declaration order', () => {
    const thread = make(ThreadInfo, { id: 't1', status: ThreadStatus.ACTIVE, message_count: 3, created_at: created });
    expect(JSON.stringify(codecFor(ThreadInfo).encode(thread))).toBe('{"id":"t1","status":"active","messageCount":3,"createdAt":"2026-01-27T21:20:36.000Z"}');
    const message = make(MessageInfo, { thread_id: 't1', from_id: 'a', to_id: 'b', payload: { k: 1 }, slot_index: 0 });
    expect(codecFor(MessageInfo).encode(message)).toStrictEqual({ threadId: 't1', from: 'a', to: 'b', payload: { k: 1 }, slotIndex: 0 });
    expect(codecFor(InjectResponse).encode(make(InjectResponse, { thread_id: 't', message_id: 'm' }))).toStrictEqual({ threadId: 't', messageId: 'm' });
    expect(codecFor(UsageTotals).encode(make(UsageTotals, { totalTokens: 10, avgLatencyMs: 1.5 }))).toStrictEqual({ total_tokens: 10, avg_latency_ms: 1.5 });
  });
});

describe('on input, the wire name and the property name are both read', () => {
  const expected = make(MessageInfo, { thread_id: 't1', from_id: 'a', to_id: 'b', payload: {}, slot_index: 2 });

  it.each([
    ['the wire names (a JavaScript client)', { threadId: 't1', from: 'a', to: 'b', payload: {}, slotIndex: 2 }],
    ['the property names (a Python sender with populate_by_name)', { thread_id: 't1', from_id: 'a', to_id: 'b', payload: {}, slot_index: 2 }],
    ['a mix of both', { thread_id: 't1', from: 'a', to_id: 'b', payload: {}, slotIndex: 2 }],
  ])('%s', (_, json) => {
    expect(codecFor(MessageInfo).decode(json)).toStrictEqual(expected);
  });

  it('prefers the wire name when both are there', () => {
    expect(codecFor(InjectResponse).decode({ threadId: 'wire', thread_id: 'property', message_id: 'm' })).toStrictEqual(
      make(InjectResponse, { thread_id: 'wire', message_id: 'm' }),
    );
  });

  it('reads a subclass under its inherited naming, and the reverse naming', () => {
    expect(codecFor(WsThreadUpdatedEvent).decode({ event: 'thread_updated', threadId: 't', message_count: 4 })).toStrictEqual(
      make(WsThreadUpdatedEvent, { event: 'thread_updated', thread_id: 't', message_count: 4 }),
    );
    expect(codecFor(UsageTotals).decode({ total_tokens: 1, avgLatencyMs: 0.5 })).toStrictEqual(make(UsageTotals, { totalTokens: 1, avgLatencyMs: 0.5 }));
  });

  it('keeps the initialiser of an absent optional field', () => {
    const thread = codecFor(ThreadInfo).decode({ id: 't', status: 'killed', createdAt: '2026-01-27T21:20:36Z' });
    expect(thread).toStrictEqual(make(ThreadInfo, { id: 't', status: ThreadStatus.KILLED, message_count: 0, created_at: created }));
  });

  it('names the wire name in the path of a problem', () => {
    expect(errorOf(() => codecFor(ThreadInfo).decode({ id: 't', status: 'active' })).message).toBe('createdAt: missing required field of ThreadInfo');
    expect(errorOf(() => codecFor(MessageInfo).decode({ threadId: 't', from_id: 7 })).message).toBe('from: expected a string, got 7');
  });
});

describe('two fields with one wire name', () => {
  @dto({ fieldNames: 'camelCase' })
  class Renamed {
    @field(String) thread_id!: string;
    @field(String) threadId!: string;
  }
  class Aliased {
    @field(String, { name: 'to' }) to_id!: string;
    @field(String) to!: string;
  }

  it.each([
    ['through the class naming', Renamed, 'Renamed: two fields are named "threadId" on the wire'],
    ['through an explicit name', Aliased, 'Aliased: two fields are named "to" on the wire'],
  ])('are refused when the shape resolves, %s', (_, type, message) => {
    expect(typeErrorOf(() => resolvedCodecFor(type))).toBe(message);
    // codecFor is lazy: the first use resolves the shape, and fails the same way.
    expect(typeErrorOf(() => codecFor(type).decode({}))).toBe(message);
  });
});

describe("a property named like another field's wire name", () => {
  // `from` travels as "sender"; `sender` travels as "senderId". Input "sender" is the first field's alone.
  class Message {
    @field(String, { name: 'sender' }) from!: string;
    @field(optional(String), { name: 'senderId' }) sender?: string;
  }

  it('is not read under its property name, which belongs to the other field', () => {
    const decoded = codecFor(Message).decode({ sender: 'ada' }) as Message;
    expect({ from: decoded.from, sender: decoded.sender }).toEqual({ from: 'ada', sender: undefined });
    expect((codecFor(Message).decode({ from: 'ada', senderId: 'u1' }) as Message).sender).toBe('u1');
  });
});
