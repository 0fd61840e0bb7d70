import { MarshalError } from '@marshal/core/internal';
import type { Call, Middleware } from './call.js';
import { isPublic } from './credentials.js';

/**
 * Lets a call of a protected endpoint through only when `allowed` says its principal may make
 * it; otherwise a 403 MARSHAL_ERR_FORBIDDEN: the caller is known, and other credentials of the
 * same caller would not help. Put it after a guard (server, service or endpoint level): a call
 * that reaches it with no principal is refused with a 403 too, since no credentials can change
 * that. Public endpoints are let through, as guards let them.
 */
export function requirePrincipal<P = unknown>(
  allowed: (principal: P, call: Call) => boolean | PromiseLike<boolean>,
  message = 'this caller may not make this call',
): Middleware {
  if (typeof allowed !== 'function') throw new TypeError('requirePrincipal needs a function that says whether a principal may make the call');
  const decide = (verdict: boolean, next: () => Promise<unknown>): Promise<unknown> =>
    verdict === true ? next() : Promise.reject(new MarshalError('MARSHAL_ERR_FORBIDDEN', message));
  return (call, next) => {
    if (isPublic(call)) return next();
    if (call.principal === undefined) return Promise.reject(new MarshalError('MARSHAL_ERR_FORBIDDEN', 'no authenticated caller: this endpoint is protected'));
    let verdict: boolean | PromiseLike<boolean>;
    try {
      verdict = allowed(call.principal as P, call);
    } catch (error) {
      return Promise.reject(error);
    }
    if (typeof verdict === 'boolean') return decide(verdict, next);
    return Promise.resolve(verdict).then((settled) => decide(settled, next));
  };
}
