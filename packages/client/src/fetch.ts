import { clientFactory } from './create-client.js';
import { fetchTransport } from './transport/fetch-transport.js';
import { globalWebSocket } from './websocket/global-socket.js';

export * from './common.js';

/**
 * A remote implementation of a contract, over the global `fetch` (and the global `WebSocket` for
 * `@websocket` endpoints): the entry point for browsers, workers, Deno and Bun. It imports no
 * Node built-in.
 */
export const createClient = clientFactory(fetchTransport, globalWebSocket);
