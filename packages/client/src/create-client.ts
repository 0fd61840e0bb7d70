import { type CompiledEndpoint, compileEndpoint, parseErrorBody, serviceModelOf } from '@marshal/core/internal';
import { SerializationError } from '@marshal/serialization/internal';
import { encodeCall } from './encode-call.js';
import { RemoteError } from './remote-error.js';
import { TransportError } from './transport-error.js';
import type { HttpTransport, TransportFactory, TransportOptions } from './transport/transport.js';

export interface ClientOptions extends TransportOptions {
  /** Headers sent with every call, e.g. authorization. */
  readonly headers?: Readonly<Record<string, string>>;
  /** How requests are sent: undici in Node by default, `fetch` in browsers, workers, Deno and Bun. */
  readonly transport?: TransportFactory;
}

type Contract<T> = abstract new (...args: never[]) => T;

export type CreateClient = <T extends object>(contract: Contract<T>, baseUrl: string, options?: ClientOptions) => T;

const transports = new WeakMap<object, HttpTransport>();

/**
 * `createClient` with a default transport: each entry point of the package (Node's, the
 * browser's) picks its own, and nothing else differs.
 */
export function clientFactory(defaultTransport: TransportFactory): CreateClient {
  return (contract, baseUrl, options = {}) => buildClient(contract, baseUrl, options, defaultTransport);
}

/**
 * A remote implementation of a contract: an object that is `instanceof` the contract class and
 * whose endpoint methods call the server at `baseUrl`. Endpoints are compiled here, once; a call
 * only encodes its arguments, sends them and decodes the answer.
 */
function buildClient<T extends object>(contract: Contract<T>, baseUrl: string, options: ClientOptions, defaultTransport: TransportFactory): T {
  const model = serviceModelOf(contract);
  const endpoints = model.endpoints.map((endpoint) => compileEndpoint(endpoint));
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`base URL must be http(s)://…, got ${baseUrl}`);
  const transport = (options.transport ?? defaultTransport)(url.origin, options);
  const link: Link = {
    transport,
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    headers: { ...options.headers },
    jsonHeaders: { ...options.headers, 'content-type': 'application/json' },
  };
  const client = Object.create(contract.prototype) as Record<string, unknown>;
  for (const endpoint of endpoints) {
    const name = endpoint.model.methodName;
    // A named method, so stack traces read IMyService.select.
    const method = { [name]: (...args: unknown[]) => call(link, endpoint, args) }[name];
    Object.defineProperty(client, name, { value: method, enumerable: false, writable: true, configurable: true });
  }
  transports.set(client, transport);
  return client as T;
}

/** What every call of one client shares. */
interface Link {
  readonly transport: HttpTransport;
  readonly origin: string;
  readonly basePath: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly jsonHeaders: Readonly<Record<string, string>>;
}

/**
 * One call: its result decoded from a 200's JSON; a RemoteError for any other answer; a
 * TransportError when there is no usable answer.
 */
async function call(link: Link, endpoint: CompiledEndpoint, args: readonly unknown[]): Promise<unknown> {
  const { method, path, body } = encodeCall(endpoint, args);
  const fullPath = link.basePath + path;
  const label = `${method} ${fullPath}`;
  let status: number;
  let text: string;
  try {
    ({ status, text } = await link.transport.send({ method, path: fullPath, headers: body === undefined ? link.headers : link.jsonHeaders, body }));
  } catch (error) {
    throw new TransportError(label, `no answer from ${link.origin}: ${(error as Error).message}`, error);
  }
  if (status !== 200) throw errorAnswer(label, status, text);
  let json: unknown;
  if (text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new TransportError(label, `the answer is not JSON: ${JSON.stringify(text.slice(0, 80))}`, error, status);
    }
  }
  try {
    return endpoint.result.decode(json);
  } catch (error) {
    const problem = error instanceof SerializationError ? error.message : String(error);
    throw new TransportError(label, `the answer does not fit ${endpoint.label}'s return type: ${problem}`, error, status);
  }
}

/** A Marshal error body → RemoteError; anything else (a proxy's page, an empty 502) → TransportError. */
function errorAnswer(label: string, status: number, text: string): Error {
  const body = parseErrorBody(text);
  if (body !== undefined) return new RemoteError(status, label, body);
  const quoted = text.length > 0 ? `: ${JSON.stringify(text.slice(0, 80))}` : '';
  return new TransportError(label, `HTTP ${status} without a Marshal error body${quoted}`, undefined, status);
}

/** Closes the client's connections; later calls fail. */
export async function closeClient(client: object): Promise<void> {
  const transport = transports.get(client);
  if (!transport) throw new TypeError('not a client made by createClient');
  transports.delete(client);
  await transport.close();
}
