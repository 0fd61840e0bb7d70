export { createClient, closeClient, type ClientOptions } from './create-client.js';
export { RemoteError } from './remote-error.js';
export { TransportError } from './transport-error.js';
export { waitForReply } from './wait-for-reply.js';
