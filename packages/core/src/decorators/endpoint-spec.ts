import type { Descriptor } from '@marshal/serialization/internal';

export type HttpMethod = 'GET' | 'POST';
export type Transport = 'http' | 'websocket';
/** `protected`: the server's authentication guards apply to the endpoint; `public`: they let its calls through. */
export type Access = 'public' | 'protected';

/** One parameter of an endpoint: its name on the wire and its type descriptor. */
export type ParamSpec = readonly [name: string, descriptor: Descriptor];
export type ParamList = readonly ParamSpec[];

export interface EndpointOptions<P extends ParamList = ParamList, R extends Descriptor = Descriptor> {
  /** Every parameter in declaration order, as [name, descriptor] pairs. */
  readonly params: P;
  /** The result's descriptor; Void for none. */
  readonly returns: R;
  /** The endpoint's name in URLs; by default the method name in kebab-case. */
  readonly name?: string;
  /** POST by default; GET only for endpoints whose parameters all travel in the URL. */
  readonly method?: HttpMethod;
  /** Send every non-binary parameter in the JSON body instead of the URL. */
  readonly forceJsonParams?: boolean;
  /**
   * How long the implementation may take before the caller gets a 504 MARSHAL_ERR_TIMEOUT, in ms;
   * overrides the server's callTimeoutMs. 0: no limit.
   */
  readonly timeoutMs?: number;
  /**
   * Calling it twice has the effect of calling it once (a read, or a write keyed by the caller's
   * own id), so a client may send it again after a failure that may have left it undone
   * (default false: never sent twice).
   */
  readonly idempotent?: boolean;
  /** Whether authentication guards apply; by default the service's `access`, else 'protected'. */
  readonly access?: Access;
  /** Require implementations to override this method (default true). */
  readonly verifyAbstract?: boolean;
  readonly description?: string;
}

export type WebSocketOptions<P extends ParamList = ParamList, R extends Descriptor = Descriptor> = Omit<EndpointOptions<P, R>, 'method'>;

/** What a method decorator records; the @service decorator turns it into an EndpointModel. */
export interface EndpointSpec {
  readonly transport: Transport;
  readonly methodName: string;
  readonly options: EndpointOptions;
}

const specs = new WeakMap<Function, EndpointSpec>();

export function recordEndpointSpec(method: Function, spec: EndpointSpec): void {
  specs.set(method, spec);
}

export function endpointSpecOf(method: unknown): EndpointSpec | undefined {
  return typeof method === 'function' ? specs.get(method) : undefined;
}
