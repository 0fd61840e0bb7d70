// What every entry point of the package exports, whatever its default transport.
export { closeClient, type CallOptions, type Client, type ClientArg, type ClientMethod, type ClientOptions, type CreateClient } from './create-client.js';
export type { FileArgument } from './file-argument.js';
export type { ClientAuth } from './auth-headers.js';
export type { RetryOptions } from './retry.js';
export { RemoteError } from './remote-error.js';
export { TransportError } from './transport-error.js';
export { waitForReply } from './wait-for-reply.js';
export { fetchTransport } from './transport/fetch-transport.js';
export type {
  HttpTransport,
  StreamingRequest,
  StreamingResponse,
  TransportFactory,
  TransportOptions,
  TransportRequest,
  TransportResponse,
  UploadBody,
  UploadPart,
} from './transport/transport.js';
export { globalWebSocket } from './websocket/global-socket.js';
export type { CallSocket, SocketListener, SocketRequest, WebSocketConnector } from './websocket/socket.js';
