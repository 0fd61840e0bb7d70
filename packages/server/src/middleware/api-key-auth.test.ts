import { describe, expect, it } from 'vitest';
import { apiKeyAuth } from './api-key-auth.js';
import { nextStep, refusal, testCall } from './test-call.js';

describe('apiKeyAuth', () => {
  const guard = apiKeyAuth({ keys: { 'key-of-the-ingester': 'ingester' } });

  it('reads x-api-key by default and sets the principal of a known key', async () => {
    const call = testCall({ headers: { 'x-api-key': 'key-of-the-ingester' } });
    const next = nextStep();
    await guard(call, next);
    expect(next.calls).toBe(1);
    expect(call.principal).toBe('ingester');
  });

  it('refuses a call without the header, naming the header in the challenge', async () => {
    const next = nextStep();
    const error = await refusal(guard(testCall({ headers: { authorization: 'Bearer key-of-the-ingester' } }), next));
    expect(next.calls).toBe(0);
    expect(error.code).toBe('MARSHAL_ERR_UNAUTHORIZED');
    expect(error.message).toBe('this endpoint needs an API key in the x-api-key header');
    expect(error.details.headers).toEqual({ 'www-authenticate': 'ApiKey header="x-api-key"' });
  });

  it.each([
    ['an unknown key', 'key-of-the-ingester-'],
    ['an empty header', ''],
    ['the key sent twice', ['key-of-the-ingester', 'key-of-the-ingester']],
  ])('refuses %s', async (_, value) => {
    const call = testCall({ headers: { 'x-api-key': value } });
    const error = await refusal(guard(call, nextStep()));
    expect(call.principal).toBeUndefined();
    expect(error.message).toBe('the API key is not valid');
    expect(error.details.headers).toEqual({ 'www-authenticate': 'ApiKey header="x-api-key", error="invalid_key"' });
  });

  it('reads the header it is given, by its lower-case name, as node gives headers', async () => {
    const custom = apiKeyAuth({ header: 'X-Ingest-Key', realm: 'telemetry', verify: (key) => (key === 'k1' ? { id: 7 } : undefined) });
    expect(custom.securityScheme).toEqual({ type: 'apiKey', in: 'header', name: 'x-ingest-key' });
    const call = testCall({ headers: { 'x-ingest-key': 'k1' } });
    await custom(call, nextStep());
    expect(call.principal).toEqual({ id: 7 });
    const error = await refusal(custom(testCall(), nextStep()));
    expect(error.details.headers).toEqual({ 'www-authenticate': 'ApiKey realm="telemetry", header="x-ingest-key"' });
  });

  it('lets calls of a public endpoint through', async () => {
    const next = nextStep();
    await guard(testCall({ endpoint: 'count' }), next);
    expect(next.calls).toBe(1);
  });

  it('refuses a header name that is not one when the guard is built', () => {
    expect(() => apiKeyAuth({ header: 'x api key', keys: { a: 1 } })).toThrow(/header must be a header name/);
  });
});
