/**
 * Unions. taggedUnion('type', [...]) is modelled on matyan-api-models' WebSocket requests
 * (WsRequestTAdapter: a pydantic union discriminated by a literal "type" field); union(...) is the
 * reference's `A | B`, tried in order; literal(...) is the discriminator's own descriptor.
 */
import { describe, expect, it } from 'vitest';
import { type Descriptor, Int, JsonObject, enumOf, literal, optional, taggedUnion, union } from './descriptor.js';
import { field } from './field.js';
import { dto } from './dto.js';
import { codecFor, resolvedCodecFor } from './codec.js';
import { errorOf, make, typeErrorOf } from './test-fixtures.js';

class CreateRunWsRequest {
  @field(literal('create_run')) type = 'create_run' as const;
  @field(String) run_id!: string;
  @field(optional(Date)) client_datetime?: Date;
}
class LogMetricWsRequest {
  @field(literal('log_metric')) type = 'log_metric' as const;
  @field(String) run_id!: string;
  @field(String) name!: string;
  @field(Number) value!: number;
  @field(optional(Int)) step?: number;
  @field(optional(JsonObject)) context?: JsonObject;
}
class AddTagWsRequest {
  @field(literal('add_tag')) type = 'add_tag' as const;
  @field(String) run_id!: string;
  @field(String) tag_name!: string;
}
class FinishRunWsRequest {
  @field(literal('finish_run')) type = 'finish_run' as const;
  @field(String) run_id!: string;
}

const WsRequest = taggedUnion('type', [CreateRunWsRequest, LogMetricWsRequest, AddTagWsRequest, FinishRunWsRequest]);
const allowed = 'one of "create_run", "log_metric", "add_tag", "finish_run"';

const requests: [string, object, object][] = [
  ['create_run', make(CreateRunWsRequest, { run_id: 'r1', client_datetime: new Date('2025-03-01T10:00:00Z') }), { type: 'create_run', run_id: 'r1', client_datetime: '2025-03-01T10:00:00.000Z' }],
  ['log_metric', make(LogMetricWsRequest, { run_id: 'r1', name: 'loss', value: 0.25, step: 3, context: { subset: 'train' } }), { type: 'log_metric', run_id: 'r1', name: 'loss', value: 0.25, step: 3, context: { subset: 'train' } }],
  ['add_tag', make(AddTagWsRequest, { run_id: 'r1', tag_name: 'baseline' }), { type: 'add_tag', run_id: 'r1', tag_name: 'baseline' }],
  ['finish_run', make(FinishRunWsRequest, { run_id: 'r1' }), { type: 'finish_run', run_id: 'r1' }],
];

describe('taggedUnion: the "type" key picks the class', () => {
  it.each(requests)('decodes a %s request as its class', (_, value, json) => {
    expect(codecFor(WsRequest).decode(json)).toStrictEqual(value);
  });

  it.each(requests)('encodes a %s request by its class', (_, value, json) => {
    expect(codecFor(WsRequest).encode(value)).toStrictEqual(json);
  });

  it('encodes a plain object by its tag', () => {
    expect(codecFor(WsRequest).encode({ type: 'finish_run', run_id: 'r2', extra: 1 })).toStrictEqual({ type: 'finish_run', run_id: 'r2' });
  });

  it.each<[string, unknown, string]>([
    ['an unknown tag, at the path of the key, listing the tags', { type: 'log_metrics', run_id: 'r' }, `type: expected ${allowed}, got "log_metrics"`],
    ['a missing tag', { run_id: 'r' }, `type: expected ${allowed}, got undefined`],
    ['a tag of the wrong type', { type: 1 }, `type: expected ${allowed}, got 1`],
    ['an array', [], 'expected an object with "type", got an array'],
    ['a bad field of the chosen class', { type: 'log_metric', run_id: 'r', name: 'loss', value: 'NaN' }, 'value: expected a finite number, got "NaN"'],
  ])('refuses %s', (_, json, message) => {
    expect(errorOf(() => codecFor(WsRequest).decode(json)).message).toBe(message);
  });

  it('puts the key after the element in a list of requests', () => {
    expect(errorOf(() => codecFor([WsRequest]).decode([{ type: 'finish_run', run_id: 'r' }, { type: 'stop' }])).path).toEqual([1, 'type']);
  });

  it('refuses to encode a value of no member class', () => {
    expect(errorOf(() => codecFor(WsRequest).encode({ type: 'stop' })).message).toBe(`expected a member of the union (${allowed}), got an object`);
    expect(errorOf(() => codecFor(WsRequest).encode('finish_run')).message).toBe('expected an object with "type", got "finish_run"');
  });

  it('works with another key and camelCase classes (agentserver-models WSEvent "event")', () => {
    enum AgentState {
      IDLE = 'idle',
      PROCESSING = 'processing',
    }
    @dto({ fieldNames: 'camelCase' })
    class WsAgentStateEvent {
      @field(literal('agent_state')) event = 'agent_state' as const;
      @field(enumOf(AgentState, { byValue: true })) state!: AgentState;
      @field(optional(String)) current_thread?: string;
    }
    @dto({ fieldNames: 'camelCase' })
    class WsErrorEvent {
      @field(literal('error')) event = 'error' as const;
      @field(String) error!: string;
    }
    const events = codecFor([taggedUnion('event', [WsAgentStateEvent, WsErrorEvent])]);
    const json = [
      { event: 'agent_state', state: 'processing', currentThread: 't1' },
      { event: 'error', error: 'boom' },
    ];
    const decoded = events.decode(json);
    expect(decoded).toStrictEqual([make(WsAgentStateEvent, { state: AgentState.PROCESSING, current_thread: 't1' }), make(WsErrorEvent, { error: 'boom' })]);
    expect(events.encode(decoded)).toStrictEqual(json);
  });
});

describe('taggedUnion: malformed unions are refused when the codec is resolved', () => {
  class Untagged {
    @field(String) run_id!: string;
  }
  class StringTagged {
    @field(String) type!: string;
  }
  class AlsoFinish {
    @field(literal('finish_run')) type = 'finish_run' as const;
  }

  it.each<[string, Descriptor, string]>([
    ['a class without the literal field', taggedUnion('type', [FinishRunWsRequest, Untagged]), 'Untagged needs a field "type" declared with literal(…) to be in a tagged union'],
    ['a class whose tag is not a literal', taggedUnion('type', [StringTagged]), 'StringTagged needs a field "type" declared with literal(…) to be in a tagged union'],
    ['two classes with one tag', taggedUnion('type', [FinishRunWsRequest, AlsoFinish]), 'two classes of the tagged union use "type" = "finish_run"'],
    ['an option that is not a class', taggedUnion('type', [FinishRunWsRequest, String]), 'taggedUnion("type", …) takes DTO classes, not string'],
  ])('%s', (_, descriptor, message) => {
    expect(typeErrorOf(() => resolvedCodecFor(descriptor))).toBe(message);
  });

  it('needs a key and at least one option', () => {
    expect(typeErrorOf(() => taggedUnion('', [FinishRunWsRequest]))).toBe('taggedUnion(…) needs the name of the discriminating key');
    expect(typeErrorOf(() => taggedUnion('type', []))).toBe('taggedUnion(…) needs a list of classes');
  });
});

class Metric {
  @field(String) name!: string;
}
class Tagged {
  @field(Int) id!: number;
}

describe('union: options tried in order, the first that fits wins', () => {
  it.each<[string, Descriptor, unknown, unknown]>([
    ['a string in union(String, Int)', union(String, Int), 'x', 'x'],
    ['an integer in union(String, Int)', union(String, Int), 7, 7],
    ['the first class in union(Metric, Tagged)', union(Metric, Tagged), make(Metric, { name: 'm' }), { name: 'm' }],
    ['the second class in union(Metric, Tagged)', union(Metric, Tagged), make(Tagged, { id: 1 }), { id: 1 }],
    ['a literal in union(Int, literal("auto"))', union(Int, literal('auto')), 'auto', 'auto'],
  ])('%s, both ways', (_, descriptor, value, json) => {
    expect(codecFor(descriptor).encode(value)).toStrictEqual(json);
    expect(codecFor(descriptor).decode(json)).toStrictEqual(value);
  });

  it('decodes text that fits both as the earlier option (as the reference: float|int gives 1.0, int|float 1)', () => {
    expect(codecFor(union(String, Date)).decode('2025-01-15')).toBe('2025-01-15');
    expect(codecFor(union(Date, String)).decode('2025-01-15')).toStrictEqual(new Date('2025-01-15T00:00:00Z'));
  });

  it('decodes an object that fits both classes as the first: options that overlap want taggedUnion', () => {
    expect(codecFor(union(Metric, Tagged)).decode({ name: 'm', id: 1 })).toStrictEqual(make(Metric, { name: 'm' }));
  });

  it('refuses a value no option fits, quoting the first option', () => {
    const message = 'fits none of the 2 options of the union (the first says: expected a string, got true)';
    expect(errorOf(() => codecFor(union(String, Int)).decode(true)).message).toBe(message);
    expect(errorOf(() => codecFor(union(String, Int)).encode(true)).message).toBe(message);
    expect(errorOf(() => codecFor(union(Int, literal('auto'))).decode('manual')).message).toBe(
      'fits none of the 2 options of the union (the first says: expected an integer, got "manual")',
    );
  });

  it('needs two options', () => {
    expect(typeErrorOf(() => union(String))).toBe('union(…) needs at least two options');
  });
});

describe('literal', () => {
  it.each<[unknown, unknown, string]>([
    ['log_metric', 'log_metrics', 'expected "log_metric", got "log_metrics"'],
    [1, '1', 'expected 1, got "1"'],
    [true, false, 'expected true, got false'],
  ])('%o is itself both ways, and nothing else', (value, other, message) => {
    const codec = codecFor(literal(value as string));
    expect([codec.encode(value), codec.decode(value)]).toEqual([value, value]);
    expect(errorOf(() => codec.decode(other)).message).toBe(message);
    expect(errorOf(() => codec.encode(other)).message).toBe(message);
  });

  it.each([NaN, Infinity, null, {}])('refuses %o as its value', (value) => {
    expect(() => literal(value as string)).toThrow(TypeError);
  });
});
