export { Server, type ServerOptions } from './server.js';
export { Fork, type ForkOptions } from './fork.js';
export { defaultLimits } from './limits.js';
export type { DocumentationOptions } from './documentation-routes.js';
export type { CorsOptions } from './cors.js';
