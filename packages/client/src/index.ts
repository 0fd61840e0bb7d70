import { clientFactory } from './create-client.js';
import { undiciTransport } from './transport/undici-transport.js';

export * from './common.js';
export { undiciTransport };

/**
 * A remote implementation of a contract, over undici (keep-alive connections):
 *
 *   const api = createClient(IMyService, 'http://localhost:14000');
 *   await api.select('test', data, true);
 */
export const createClient = clientFactory(undiciTransport);
