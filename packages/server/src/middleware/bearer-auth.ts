import { type AuthGuard, type VerifyCredential, challenge, checkedRealm, credentialGuard, headerValue, unauthorized, verifierOf } from './credentials.js';
import type { Call } from './call.js';

export type BearerAuthOptions<P> = {
  /** Named in the challenge of a 401 (`WWW-Authenticate: Bearer realm="…"`). */
  readonly realm?: string;
} & (
  | {
      /** The tokens the server accepts, each with the principal it stands for. */
      readonly tokens: Readonly<Record<string, P>>;
      readonly verify?: never;
    }
  | {
      /** Looks a token up (a database, a JWT check): its principal, or undefined when it is not valid. */
      readonly verify: VerifyCredential<P>;
      readonly tokens?: never;
    }
);

/**
 * A guard for `Authorization: Bearer <token>` (RFC 6750). A call to a protected endpoint without
 * a bearer token is refused with a 401 and `WWW-Authenticate: Bearer realm="…"`; one with a token
 * that is not valid, with the same challenge and `error="invalid_token"`. An accepted token's
 * principal becomes `call.principal`.
 */
export function bearerAuth<P>(options: BearerAuthOptions<P>): AuthGuard {
  const realm = checkedRealm(options.realm);
  const verify = verifierOf<P>(options.tokens, options.verify, 'bearer token');
  return credentialGuard({
    securityScheme: { type: 'http', scheme: 'bearer' },
    credentialOf: bearerTokenOf,
    verify,
    missing: () => unauthorized('this endpoint needs a bearer token (Authorization: Bearer <token>)', challenge('Bearer', { realm })),
    invalid: () => unauthorized('the bearer token is not valid', challenge('Bearer', { realm, error: 'invalid_token' })),
  });
}

/** The scheme is case-insensitive (RFC 7235); a token is a b64token (RFC 6750, section 2.1). */
const bearerCredentials = /^Bearer +([\w\-.~+/]+=*) *$/i;
const bearerScheme = /^Bearer(?: |$)/i;

/** The token of a bearer Authorization header; '' for a malformed one; undefined for another scheme or none. */
function bearerTokenOf(call: Call): string | undefined {
  const authorization = headerValue(call, 'authorization');
  if (authorization === undefined) return undefined;
  const match = bearerCredentials.exec(authorization);
  if (match !== null) return match[1];
  return bearerScheme.test(authorization) ? '' : undefined;
}
