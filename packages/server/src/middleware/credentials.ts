import { hash, timingSafeEqual } from 'node:crypto';
import { MarshalError } from '@marshal/core/internal';
import type { Call, Middleware } from './call.js';

/** An OpenAPI 3.1 security scheme object: how a guard expects callers to present their credentials. */
export type SecurityScheme =
  | { readonly type: 'http'; readonly scheme: 'bearer'; readonly description?: string }
  | { readonly type: 'apiKey'; readonly in: 'header'; readonly name: string; readonly description?: string };

/** Middleware that establishes who is calling, and states the scheme it implements for the API documentation. */
export type AuthGuard = Middleware & { readonly securityScheme: SecurityScheme };

/** Looks a presented credential up: the principal it belongs to, or undefined for one that is not known. */
export type VerifyCredential<P> = (credential: string, call: Call) => P | undefined | PromiseLike<P | undefined>;

/** Endpoints whose contract says `access: 'public'` are let through by every guard. */
export function isPublic(call: Call): boolean {
  return call.model.access === 'public';
}

/** A header's value as one string: node joins repeated headers the same way. */
export function headerValue(call: Call, name: string): string | undefined {
  const value = call.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Known credentials and their principals, matched in constant time: the presented credential's
 * SHA-256 digest is compared with every known one (same length, so neither a credential's length
 * nor how much of it matched shows in the time taken), and the loop never stops early.
 */
export class CredentialTable<P> {
  readonly #digests: Buffer[] = [];
  readonly #principals: P[] = [];

  constructor(entries: Readonly<Record<string, P>>, what: string) {
    for (const [credential, principal] of Object.entries(entries)) {
      if (credential === '') throw new TypeError(`an empty string is not a valid ${what}`);
      if (principal === undefined) throw new TypeError(`the principal of a ${what} cannot be undefined (undefined means "not known")`);
      this.#digests.push(digestOf(credential));
      this.#principals.push(principal);
    }
    if (this.#digests.length === 0) throw new TypeError(`no ${what}s given: every call would be refused`);
  }

  find(credential: string): P | undefined {
    const digest = digestOf(credential);
    let found = -1;
    for (let i = 0; i < this.#digests.length; i++) {
      if (timingSafeEqual(digest, this.#digests[i])) found = i;
    }
    return found < 0 ? undefined : this.#principals[found];
  }
}

/** One-shot: a third of createHash's time for a short text. */
function digestOf(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}

/** What a credential guard is made of; `bearerAuth` and `apiKeyAuth` differ only in these. */
export interface CredentialGuardSpec<P> {
  readonly securityScheme: SecurityScheme;
  /** The credential the call presents: undefined when it presents none of this kind, '' when it is malformed. */
  readonly credentialOf: (call: Call) => string | undefined;
  readonly verify: VerifyCredential<P>;
  /** The 401 for a call that presents no credential, and for one whose credential is not known. */
  readonly missing: () => MarshalError;
  readonly invalid: () => MarshalError;
}

/**
 * A guard: lets public endpoints through untouched; for the others, looks the call's credential
 * up and either sets `call.principal` and goes on, or refuses with a 401 before the body is read.
 * A verify function may throw a MarshalError of its own (a 403 for a revoked key, say).
 *
 * Refusals are returned as rejected promises, never thrown, and a table lookup adds no promise of
 * its own: the guard costs a digest and a comparison per known credential.
 */
export function credentialGuard<P>(spec: CredentialGuardSpec<P>): AuthGuard {
  const { credentialOf, verify, missing, invalid } = spec;
  const admit = (call: Call, principal: P | undefined, next: () => Promise<unknown>): Promise<unknown> => {
    if (principal === undefined) return Promise.reject(invalid());
    call.principal = principal;
    return next();
  };
  const guard = (call: Call, next: () => Promise<unknown>): Promise<unknown> => {
    if (isPublic(call)) return next();
    const credential = credentialOf(call);
    if (credential === undefined) return Promise.reject(missing());
    if (credential === '') return Promise.reject(invalid());
    let found: P | undefined | PromiseLike<P | undefined>;
    try {
      found = verify(credential, call);
    } catch (error) {
      return Promise.reject(error);
    }
    if (isThenable(found)) return Promise.resolve(found).then((principal) => admit(call, principal, next));
    return admit(call, found, next);
  };
  return Object.assign(guard, { securityScheme: spec.securityScheme });
}

/** `verify` as given, or a constant-time lookup in `table`; exactly one of the two. */
export function verifierOf<P>(table: Readonly<Record<string, P>> | undefined, verify: VerifyCredential<P> | undefined, what: string): VerifyCredential<P> {
  if (table !== undefined && verify !== undefined) throw new TypeError(`give either a table of ${what}s or verify, not both`);
  if (verify !== undefined) {
    if (typeof verify !== 'function') throw new TypeError('verify must be a function');
    return verify;
  }
  if (table === undefined) throw new TypeError(`give a table of ${what}s or a verify function`);
  const known = new CredentialTable(table, what);
  return (credential) => known.find(credential);
}

/** A 401 whose answer carries the challenge, as RFC 7235 requires of every 401. */
export function unauthorized(message: string, challenge: string): MarshalError {
  return new MarshalError('MARSHAL_ERR_UNAUTHORIZED', message, { headers: { 'www-authenticate': challenge } });
}

/**
 * A challenge: the scheme and its parameters as quoted strings (RFC 7235, section 2.1).
 * `parameters` are checked when the guard is built, so no call can put a line break in a header.
 */
export function challenge(scheme: string, parameters: Readonly<Record<string, string | undefined>>): string {
  const pairs = Object.entries(parameters).filter((pair): pair is [string, string] => pair[1] !== undefined);
  if (pairs.length === 0) return scheme;
  return `${scheme} ${pairs.map(([name, value]) => `${name}="${value.replace(/["\\]/g, '\\$&')}"`).join(', ')}`;
}

/** A realm as a guard's option: any text a header can carry (no control characters). */
export function checkedRealm(realm: string | undefined): string | undefined {
  if (realm !== undefined && (typeof realm !== 'string' || /[\u0000-\u001f\u007f]/.test(realm))) {
    throw new TypeError(`realm must be a string without control characters, got ${JSON.stringify(realm)}`);
  }
  return realm;
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<T>).then === 'function';
}
