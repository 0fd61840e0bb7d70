import { type AuthGuard, type VerifyCredential, challenge, checkedRealm, credentialGuard, headerValue, unauthorized, verifierOf } from './credentials.js';

export type ApiKeyAuthOptions<P> = {
  /** The request header that carries the key (default `x-api-key`). */
  readonly header?: string;
  /** Named in the challenge of a 401. */
  readonly realm?: string;
} & (
  | {
      /** The keys the server accepts, each with the principal it stands for. */
      readonly keys: Readonly<Record<string, P>>;
      readonly verify?: never;
    }
  | {
      /** Looks a key up: its principal, or undefined when it is not valid. */
      readonly verify: VerifyCredential<P>;
      readonly keys?: never;
    }
);

/** A header name as RFC 9110 allows it (a token). */
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A guard for an API key in a request header. A call to a protected endpoint without the header
 * or with a key that is not valid is refused with a 401 and `WWW-Authenticate: ApiKey header="…"`
 * (there is no registered scheme for API keys; the challenge names the header to send). An
 * accepted key's principal becomes `call.principal`.
 */
export function apiKeyAuth<P>(options: ApiKeyAuthOptions<P>): AuthGuard {
  const header = options.header ?? 'x-api-key';
  if (typeof header !== 'string' || !headerName.test(header)) throw new TypeError(`header must be a header name, got ${JSON.stringify(header)}`);
  const name = header.toLowerCase();
  const realm = checkedRealm(options.realm);
  const verify = verifierOf<P>(options.keys, options.verify, 'API key');
  return credentialGuard({
    securityScheme: { type: 'apiKey', in: 'header', name },
    credentialOf: (call) => headerValue(call, name),
    verify,
    missing: () => unauthorized(`this endpoint needs an API key in the ${name} header`, challenge('ApiKey', { realm, header: name })),
    invalid: () => unauthorized('the API key is not valid', challenge('ApiKey', { realm, header: name, error: 'invalid_key' })),
  });
}
