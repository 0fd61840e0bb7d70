import type { Descriptor } from '@marshal/serialization/internal';
import { isStandardDecoratorCall } from '@marshal/serialization/internal';
import type { CheckedMethodDecorator } from './contract-check.js';
import {
  type EndpointOptions,
  type ParamList,
  type Transport,
  type WebSocketOptions,
  recordEndpointSpec,
} from './endpoint-spec.js';

/**
 * Marks a contract method as an HTTP endpoint:
 *
 *   @endpoint({ params: [['id', String], ['data', [JsonObject]], ['drop_duplicates', optional(Boolean)]], returns: [String] })
 *   select(id: string, data: Record<string, unknown>[], drop_duplicates?: boolean | null): Promise<string[]> { return unimplemented(); }
 *
 * The compiler checks the descriptors against the signature; the options themselves are checked
 * by @service, whose errors can then name the class.
 */
export function endpoint<const P extends ParamList, const R extends Descriptor>(options: EndpointOptions<P, R>): CheckedMethodDecorator<P, R> {
  return methodDecorator('http', options);
}

/** Marks a contract method as a WebSocket endpoint (streams in, out or both); options as for @endpoint. */
export function websocket<const P extends ParamList, const R extends Descriptor>(options: WebSocketOptions<P, R>): CheckedMethodDecorator<P, R> {
  return methodDecorator('websocket', options);
}

function methodDecorator<P extends ParamList, R extends Descriptor>(transport: Transport, options: EndpointOptions): CheckedMethodDecorator<P, R> {
  return function endpointDecorator(...args: unknown[]): void {
    let method: unknown;
    let methodName: unknown;
    if (isStandardDecoratorCall(args)) {
      const context = args[1] as ClassMethodDecoratorContext;
      method = args[0];
      methodName = context.static ? undefined : context.name;
    } else {
      const [target, key, descriptor] = args as [object, string | symbol, PropertyDescriptor];
      method = descriptor.value;
      methodName = typeof target === 'function' ? undefined : key;
    }
    if (typeof method !== 'function' || typeof methodName !== 'string') {
      throw new TypeError(`@${transport === 'http' ? 'endpoint' : 'websocket'} goes on an instance method with a string name`);
    }
    recordEndpointSpec(method, { transport, methodName, options });
  } as CheckedMethodDecorator<P, R>;
}
