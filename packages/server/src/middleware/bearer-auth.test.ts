import { describe, expect, it } from 'vitest';
import { MarshalError } from '@marshal/core/internal';
import { bearerAuth } from './bearer-auth.js';
import { nextStep, refusal, testCall } from './test-call.js';

const alice = { id: 'alice', roles: ['admin'] };
const bob = { id: 'bob', roles: [] };
const guard = bearerAuth({ tokens: { 'alice-token-1': alice, 'bob-token-2': bob }, realm: 'inventory' });

describe('bearerAuth with a table of tokens', () => {
  it('lets a known token through and sets its principal', async () => {
    const call = testCall({ headers: { authorization: 'Bearer alice-token-1' } });
    const next = nextStep({ result: 42 });
    await expect(guard(call, next)).resolves.toBe(42);
    expect(next.calls).toBe(1);
    expect(call.principal).toBe(alice);
  });

  it('reads the scheme in any case and tolerates spaces around the token', async () => {
    const call = testCall({ headers: { authorization: 'bearer   bob-token-2 ' } });
    await guard(call, nextStep());
    expect(call.principal).toBe(bob);
  });

  it('refuses a call without credentials with a 401 and a challenge without an error (RFC 6750, 3.1)', async () => {
    const next = nextStep();
    const error = await refusal(guard(testCall(), next));
    expect(next.calls).toBe(0);
    expect(error.code).toBe('MARSHAL_ERR_UNAUTHORIZED');
    expect(error.status).toBe(401);
    expect(error.details.headers).toEqual({ 'www-authenticate': 'Bearer realm="inventory"' });
  });

  it('takes credentials of another scheme for none', async () => {
    const error = await refusal(guard(testCall({ headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } }), nextStep()));
    expect(error.details.headers).toEqual({ 'www-authenticate': 'Bearer realm="inventory"' });
  });

  it.each([
    ['an unknown token', 'Bearer mallory'],
    ['a prefix of a known token', 'Bearer alice-token-'],
    ['a known token with more after it', 'Bearer alice-token-12'],
    ['a token in another case', 'Bearer ALICE-TOKEN-1'],
    ['an empty token', 'Bearer'],
    ['a token with characters a b64token cannot have', 'Bearer alice-token-1,x'],
    ['two tokens', 'Bearer alice-token-1 bob-token-2'],
  ])('refuses %s with error="invalid_token"', async (_, authorization) => {
    const call = testCall({ headers: { authorization } });
    const next = nextStep();
    const error = await refusal(guard(call, next));
    expect(next.calls).toBe(0);
    expect(call.principal).toBeUndefined();
    expect(error.code).toBe('MARSHAL_ERR_UNAUTHORIZED');
    expect(error.details.headers).toEqual({ 'www-authenticate': 'Bearer realm="inventory", error="invalid_token"' });
  });

  it('lets calls of a public endpoint through without looking at their headers', async () => {
    const call = testCall({ endpoint: 'count', headers: { authorization: 'Bearer mallory' } });
    const next = nextStep({ result: 7 });
    await expect(guard(call, next)).resolves.toBe(7);
    expect(call.principal).toBeUndefined();
  });

  it('passes on what the rest of the chain fails with', async () => {
    const failure = new MarshalError('MARSHAL_ERR_CONFLICT', 'exists');
    const call = testCall({ headers: { authorization: 'Bearer alice-token-1' } });
    await expect(guard(call, nextStep({ error: failure }))).rejects.toBe(failure);
  });

  it('states the scheme it implements', () => {
    expect(guard.securityScheme).toEqual({ type: 'http', scheme: 'bearer' });
  });

  it('sends a plain Bearer challenge without a realm, and quotes one that needs it', async () => {
    const plain = bearerAuth({ tokens: { t: 1 } });
    expect((await refusal(plain(testCall(), nextStep()))).details.headers).toEqual({ 'www-authenticate': 'Bearer' });
    const quoted = bearerAuth({ tokens: { t: 1 }, realm: 'the "main" api\\v2' });
    expect((await refusal(quoted(testCall(), nextStep()))).details.headers).toEqual({ 'www-authenticate': 'Bearer realm="the \\"main\\" api\\\\v2"' });
  });
});

describe('bearerAuth with verify', () => {
  it('hands the token and the call to verify, and sets the principal it resolves with', async () => {
    const seen: string[] = [];
    const verifying = bearerAuth({
      verify: async (token, call) => {
        seen.push(`${token} ${call.endpoint}`);
        return token === 'good' ? { name: 'service-account' } : undefined;
      },
    });
    const call = testCall({ headers: { authorization: 'Bearer good' } });
    await verifying(call, nextStep());
    expect(call.principal).toEqual({ name: 'service-account' });
    const error = await refusal(verifying(testCall({ headers: { authorization: 'Bearer bad' } }), nextStep()));
    expect(error.details.headers).toEqual({ 'www-authenticate': 'Bearer error="invalid_token"' });
    expect(seen).toEqual(['good add', 'bad add']);
  });

  it('passes on what verify throws, synchronously or not', async () => {
    const revoked = new MarshalError('MARSHAL_ERR_FORBIDDEN', 'this token was revoked');
    const call = testCall({ headers: { authorization: 'Bearer old' } });
    const next = nextStep();
    await expect(bearerAuth({ verify: () => { throw revoked; } })(call, next)).rejects.toBe(revoked);
    await expect(bearerAuth({ verify: () => Promise.reject(revoked) })(call, next)).rejects.toBe(revoked);
    expect(next.calls).toBe(0);
  });

  it('does not call verify for a call without a token', async () => {
    let verified = 0;
    const verifying = bearerAuth({ verify: () => { verified++; return 'x'; } });
    await refusal(verifying(testCall({ headers: { authorization: 'Bearer' } }), nextStep()));
    await refusal(verifying(testCall(), nextStep()));
    expect(verified).toBe(0);
  });
});

describe('bearerAuth options', () => {
  it.each([
    ['no tokens and no verify', {}, /a table of bearer tokens or a verify function/],
    ['both tokens and verify', { tokens: { a: 1 }, verify: () => 1 }, /either a table of bearer tokens or verify/],
    ['an empty table', { tokens: {} }, /no bearer tokens given/],
    ['an empty token', { tokens: { '': 1 } }, /empty string is not a valid bearer token/],
    ['a token without a principal', { tokens: { a: undefined } }, /cannot be undefined/],
    ['a realm with a line break', { tokens: { a: 1 }, realm: 'x\r\nSet-Cookie: y' }, /without control characters/],
  ])('refuses %s when the guard is built', (_, options, message) => {
    expect(() => bearerAuth(options as Parameters<typeof bearerAuth>[0])).toThrow(message);
  });
});
