import { type EndpointModel, type OpenApiSecurity, type ServiceModel, documentApi, indexPage, openApiDocument } from '@marshal/core/internal';
import type { HttpExchange } from './exchange.js';
import type { Route } from '../core/route-table.js';
import type { AuthGuard } from '../middleware/credentials.js';

export interface DocumentationOptions {
  /** The title of the OpenAPI document and the index page; 'Marshal API' by default. */
  readonly title?: string;
  /** The API's version in the OpenAPI document; '1.0.0' by default. */
  readonly version?: string;
}

/** A documentation answer, ready to send: its headers (with the length) and its bytes. */
export interface DocumentationResponse {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export const openApiPath = '/openapi.json';
export const docsPath = '/docs';

/**
 * The documentation answers, by path: `GET /openapi.json` (the OpenAPI document) and `GET /docs`
 * (an HTML page). Built once, when the server is, since contracts do not change afterwards;
 * `false` builds none. Both are single segments, so no service route (`/service/endpoint`) can
 * take their place.
 */
export function buildDocumentationRoutes(
  models: readonly ServiceModel[],
  options: boolean | DocumentationOptions = true,
  security?: OpenApiSecurity,
): ReadonlyMap<string, DocumentationResponse> {
  if (options === false) return new Map();
  const { title, version } = options === true ? {} : options;
  // Relative, so that both still point the right way when Marshal is mounted under a path (/rpc/openapi.json, /rpc/docs).
  const openApi = JSON.stringify(openApiDocument(models, { title, version, servers: [{ url: '.', description: 'where this document is served' }], security }));
  const page = indexPage(documentApi(models), { title, openApiUrl: openApiPath.slice(1) });
  return new Map([
    [openApiPath, response('application/json; charset=utf-8', openApi)],
    // The page has no scripts and no outside assets; the policy keeps it that way even if a description slipped something in.
    [docsPath, response('text/html; charset=utf-8', page, { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" })],
  ]);
}

/**
 * The security schemes the server's guards implement (each guard states its own), and for each
 * endpoint those in its middleware, unless its contract makes it public; undefined with no guard.
 */
export function securityOf(routes: ReadonlyMap<string, Route>): OpenApiSecurity | undefined {
  const schemes: Record<string, Readonly<Record<string, unknown>>> = {};
  const required = new Map<EndpointModel, string[]>();
  for (const route of routes.values()) {
    for (const endpoint of [route.get, route.post, route.webSocket]) {
      if (endpoint === undefined || endpoint.model.access === 'public') continue;
      const names = endpoint.middleware.filter(isGuard).map((guard) => {
        const name = schemeName(guard);
        schemes[name] = guard.securityScheme;
        return name;
      });
      required.set(endpoint.model, names);
    }
  }
  if (Object.keys(schemes).length === 0) return undefined;
  return { schemes, requiredBy: (endpoint) => required.get(endpoint) ?? [] };
}

function isGuard(middleware: unknown): middleware is AuthGuard {
  return typeof middleware === 'function' && typeof (middleware as Partial<AuthGuard>).securityScheme === 'object';
}

/** `bearerAuth`, or `apiKey_<header>`: one name per distinct scheme. */
function schemeName(guard: AuthGuard): string {
  const scheme = guard.securityScheme;
  return scheme.type === 'http' ? `${scheme.scheme}Auth` : `apiKey_${scheme.name}`;
}

function response(contentType: string, text: string, extra: Record<string, string> = {}): DocumentationResponse {
  const body = new TextEncoder().encode(text);
  return { headers: { 'content-type': contentType, 'content-length': String(body.length), ...extra }, body };
}

/**
 * Answers GET or HEAD of a documentation path and returns true; returns false, having sent
 * nothing, for anything else, which the caller then answers as usual.
 */
export function serveDocumentation(
  routes: ReadonlyMap<string, DocumentationResponse>,
  exchange: HttpExchange,
  pathname: string,
): boolean {
  const found = routes.get(pathname);
  if (found === undefined || (exchange.method !== 'GET' && exchange.method !== 'HEAD')) return false;
  exchange.answer(200, found.headers, found.body);
  return true;
}
