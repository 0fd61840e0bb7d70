import type { HttpTransport, StreamingRequest, TransportRequest } from './transport/transport.js';

/** The credentials a client sends with every request. */
export interface ClientAuth {
  /**
   * The bearer token, asked for before each request (each attempt of a retried call too) and sent
   * as `authorization: Bearer <token>`: a provider that refreshes its token (and caches it until
   * then) has every call after the refresh use the new one. A provider that throws or rejects
   * fails the call, unsent, with a TransportError ("the token provider failed: …").
   */
  readonly token: () => string | Promise<string>;
}

/** The provider failed: the request was not sent. */
class TokenProviderError extends Error {
  override name = 'TokenProviderError';
}

/**
 * `transport` with an `authorization` header on every request, the token asked for as the
 * request is sent. A call's own `authorization` (`.with({ headers })`) is sent as given; the
 * client's `headers` cannot have one beside `auth`.
 */
export function authenticated(transport: HttpTransport, auth: ClientAuth, clientHeaders: Readonly<Record<string, string>> | undefined): HttpTransport {
  if (typeof auth?.token !== 'function') throw new TypeError('auth.token must be a function that returns the bearer token');
  if (clientHeaders !== undefined && Object.keys(clientHeaders).some((name) => name.toLowerCase() === 'authorization')) {
    throw new TypeError('give the client either auth or an authorization header in headers, not both');
  }
  return {
    send: async (request: TransportRequest) => transport.send({ ...request, headers: { ...request.headers, authorization: await authorization(auth) } }),
    open: async (request: StreamingRequest) =>
      request.headers.authorization === undefined ? transport.open({ ...request, headers: { ...request.headers, authorization: await authorization(auth) } }) : transport.open(request),
    close: () => transport.close(),
  };
}

/** `Bearer <token>` with a token just asked for (a WebSocket handshake sends it too); a TokenProviderError when there is none. */
export async function authorization(auth: ClientAuth): Promise<string> {
  let token: unknown;
  try {
    token = await auth.token();
  } catch (error) {
    throw new TokenProviderError(`the token provider failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  if (typeof token !== 'string' || token === '') throw new TokenProviderError(`the token provider gave ${token === '' ? 'an empty string' : typeof token}, not a token`);
  return `Bearer ${token}`;
}
