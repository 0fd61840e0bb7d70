import { serviceModelOf } from '@marshal/core';
import { buildCallPlan } from './call-plan.js';
import { HttpTransport, type TransportOptions } from './http-transport.js';

export type ClientOptions = TransportOptions;

type Contract<T> = abstract new (...args: never[]) => T;

const transports = new WeakMap<object, HttpTransport>();

/**
 * A remote implementation of a contract: an object that is `instanceof` the contract class and
 * whose endpoint methods call the server at `baseUrl`.
 *
 *   const api = createClient(IMyService, 'http://localhost:14000');
 *   await api.select('test', data, true);
 *
 * Call plans are built here, once; a call only encodes its arguments and sends them.
 */
export function createClient<T extends object>(contract: Contract<T>, baseUrl: string, options: ClientOptions = {}): T {
  const model = serviceModelOf(contract);
  const plans = model.endpoints.map(buildCallPlan);
  const transport = new HttpTransport(baseUrl, options);
  const client = Object.create(contract.prototype) as Record<string, unknown>;
  for (const plan of plans) {
    const decode = plan.decodeResult;
    const call = {
      // A named method, so stack traces read IMyService.select.
      [plan.model.methodName]: async (...args: unknown[]) => decode(await transport.send(plan.encode(args))),
    }[plan.model.methodName];
    Object.defineProperty(client, plan.model.methodName, { value: call, enumerable: false, writable: true, configurable: true });
  }
  transports.set(client, transport);
  return client as T;
}

/** Closes the client's connections; later calls fail. */
export async function closeClient(client: object): Promise<void> {
  const transport = transports.get(client);
  if (!transport) throw new TypeError('not a client made by createClient');
  transports.delete(client);
  await transport.close();
}
