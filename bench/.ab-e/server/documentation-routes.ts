import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ServiceModel, documentApi, indexPage, openApiDocument } from '@marshal/core';

export interface DocumentationOptions {
  /** The title of the OpenAPI document and the index page; 'Marshal API' by default. */
  readonly title?: string;
  /** The API's version in the OpenAPI document; '1.0.0' by default. */
  readonly version?: string;
}

/** A documentation answer, ready to send: its headers (with the length) and its bytes. */
export interface DocumentationResponse {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
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
): ReadonlyMap<string, DocumentationResponse> {
  if (options === false) return new Map();
  const { title, version } = options === true ? {} : options;
  const openApi = JSON.stringify(openApiDocument(models, { title, version }));
  const page = indexPage(documentApi(models), { title, openApiUrl: openApiPath });
  return new Map([
    [openApiPath, response('application/json; charset=utf-8', openApi)],
    // The page has no scripts and no outside assets; the policy keeps it that way even if a description slipped something in.
    [docsPath, response('text/html; charset=utf-8', page, { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" })],
  ]);
}

function response(contentType: string, text: string, extra: Record<string, string> = {}): DocumentationResponse {
  const body = Buffer.from(text, 'utf8');
  return { headers: { 'content-type': contentType, 'content-length': String(body.length), ...extra }, body };
}

/**
 * Answers GET or HEAD of a documentation path and returns true; returns false, having sent
 * nothing, for anything else, which the caller then answers as usual.
 */
export function serveDocumentation(
  routes: ReadonlyMap<string, DocumentationResponse>,
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
): boolean {
  const found = routes.get(pathname);
  if (found === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
  response.writeHead(200, found.headers);
  response.end(request.method === 'HEAD' ? undefined : found.body);
  return true;
}
