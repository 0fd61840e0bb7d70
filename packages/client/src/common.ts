// What every entry point of the package exports, whatever its default transport.
export { closeClient, type ClientOptions, type CreateClient } from './create-client.js';
export { RemoteError } from './remote-error.js';
export { TransportError } from './transport-error.js';
export { waitForReply } from './wait-for-reply.js';
export { fetchTransport } from './transport/fetch-transport.js';
export type { HttpTransport, TransportFactory, TransportOptions, TransportRequest, TransportResponse } from './transport/transport.js';
