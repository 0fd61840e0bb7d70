/**
 * Calls for the middleware's unit tests (excluded from the package build): a `Call` is a plain
 * interface, so a test makes one as the transport would, runs middleware on it with a `next` that
 * resolves or throws, and ends it with the `CallEnd` the transport would report.
 */
import { Bytes, Int, MarshalError, Void, endpoint, service, serviceModelOf, stream, unimplemented } from '@marshal/core/internal';
import type { EndpointModel } from '@marshal/core/internal';
import type { Call, CallEnd } from './call.js';

@service({ name: 'inventory' })
export class IInventory {
  @endpoint({ params: [], returns: Int, access: 'public' })
  count(): Promise<number> { return unimplemented(); }

  @endpoint({ params: [['name', String]], returns: Void })
  add(name: string): Promise<void> { return unimplemented(); }

  @endpoint({ params: [['photo', stream(Bytes)]], returns: Int })
  upload(photo: AsyncIterable<Uint8Array>): Promise<number> { return unimplemented(); }
}

const inventory = serviceModelOf(IInventory);

export function endpointModel(name: 'count' | 'add' | 'upload'): EndpointModel {
  return inventory.endpoints.find((model) => model.name === name)!;
}

export interface TestCall extends Call {
  /** Ends the call as the transport would: runs the `onEnd` listeners with `end` (a 200 by default). */
  end(end?: Partial<CallEnd>): void;
}

export function testCall(
  options: { endpoint?: 'count' | 'add' | 'upload'; headers?: Record<string, string | string[]>; remoteAddress?: string; transport?: 'http' | 'websocket' } = {},
): TestCall {
  const model = endpointModel(options.endpoint ?? 'add');
  const listeners: ((end: CallEnd) => void)[] = [];
  const startedAt = performance.now();
  return {
    service: inventory.name,
    endpoint: model.name,
    model,
    transport: options.transport ?? 'http',
    headers: options.headers ?? {},
    remoteAddress: options.remoteAddress ?? '127.0.0.1',
    principal: undefined,
    signal: new AbortController().signal,
    startedAt,
    onEnd: (listener) => void listeners.push(listener),
    end(end = {}) {
      const ended: CallEnd = { status: 200, code: undefined, durationMs: performance.now() - startedAt, bytesIn: 0, bytesOut: 0, error: undefined, ...end };
      for (const listener of listeners.splice(0)) listener(ended);
    },
  };
}

/** A `next` that records whether it ran, resolving with `result` or rejecting with `error`. */
export function nextStep(outcome: { result?: unknown; error?: unknown } = { result: 'done' }): { (): Promise<unknown>; calls: number } {
  const next = Object.assign(
    () => {
      next.calls++;
      return 'error' in outcome ? Promise.reject(outcome.error) : Promise.resolve(outcome.result);
    },
    { calls: 0 },
  );
  return next;
}

/** The MarshalError a middleware refused a call with (anything else fails the test). */
export async function refusal(outcome: Promise<unknown>): Promise<MarshalError> {
  const error = await outcome.then(() => undefined, (thrown: unknown) => thrown);
  if (!(error instanceof MarshalError)) throw new Error(`expected a refusal with a MarshalError, got ${String(error)}`);
  return error;
}
