import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { webSocketGateway } from './web-socket-gateway.js';
import { type HandlerOptions, buildHttpContext } from '../http/http-context.js';
import { handleHttpCall, routeNotFound } from '../http/handle-call.js';
import { sendError } from '../http/answers.js';
import { NodeExchange } from './node-exchange.js';

export interface RequestListenerOptions extends HandlerOptions {
  /**
   * The path Marshal is mounted under in the host server, e.g. '/rpc': stripped before routing,
   * so `/rpc/my-service/select/x` reaches `select`. Not needed under Express's `app.use('/rpc', …)`,
   * which strips it itself.
   */
  readonly prefix?: string;
}

/**
 * A node:http request listener, for an `http`/`https` server of your own or a framework that
 * hands over node's objects. With `next` (Express, Connect), requests for paths Marshal does not
 * serve go on to the next handler; without it they get Marshal's 404. `next` is called before
 * the listener returns, so a caller can tell at once whether Marshal took the request (Fastify's
 * onRequest hook relies on that).
 */
export type MarshalRequestListener = ((request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void) => void) & {
  /**
   * The `upgrade` handler for the same services' WebSocket endpoints:
   * `server.on('upgrade', listener.upgrade)`. Returns false, having touched nothing, for a path
   * Marshal does not serve, so that a host with WebSocket routes of its own can take it.
   */
  readonly upgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => boolean;
};

const nothing = (): void => {};

/**
 * Serves the services on an existing server:
 *
 *   http.createServer(createRequestListener({ services: [new MyService()] })).listen(8080);
 *   app.use('/rpc', createRequestListener({ services }));   // Express
 *
 * Contracts are compiled here, once. Graceful stopping is the host server's; `Server` does it
 * for a server Marshal owns.
 */
export function createRequestListener(options: RequestListenerOptions): MarshalRequestListener {
  const context = buildHttpContext(options);
  const prefix = normalizePrefix(options.prefix);
  const gateway = webSocketGateway(context, options);
  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const relative = stripPrefix(request.url ?? '/', prefix);
    return relative !== undefined && gateway.upgrade(request, socket, head, relative, 'pass');
  };
  const listener = (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void => {
    const url = request.url ?? '/';
    const relative = stripPrefix(url, prefix);
    if (relative === undefined) {
      if (next) return next();
      return sendError(context, new NodeExchange(request, response, url), routeNotFound(url.split('?', 1)[0]), undefined);
    }
    const handled = handleHttpCall(context, new NodeExchange(request, response, relative), nothing, next ? 'pass' : 'answer');
    if (!handled) next!();
  };
  return Object.assign(listener, { upgrade });
}

function normalizePrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === '' || prefix === '/') return '';
  if (!prefix.startsWith('/')) throw new TypeError(`prefix must start with '/', got ${JSON.stringify(prefix)}`);
  return prefix.replace(/\/+$/, '');
}

/** The URL below `prefix` (always starting with '/'), or undefined when it is not below it. */
function stripPrefix(url: string, prefix: string): string | undefined {
  if (prefix === '') return url;
  if (!url.startsWith(prefix)) return undefined;
  const next = url.charCodeAt(prefix.length);
  if (Number.isNaN(next)) return '/';
  if (next === 0x2f /* / */) return url.slice(prefix.length);
  if (next === 0x3f /* ? */) return `/${url.slice(prefix.length)}`;
  return undefined;
}
