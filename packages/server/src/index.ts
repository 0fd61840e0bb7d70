export { Server, listeningChannelName, type ServerOptions } from './server.js';
export { createRequestListener, type MarshalRequestListener, type RequestListenerOptions } from './node/request-listener.js';
export { defaultLimits } from './limits.js';
export type { HandlerOptions } from './http/http-context.js';
export type { DocumentationOptions } from './http/documentation-routes.js';
export type { CorsOptions } from './http/cors.js';
