import { describe, expect, it } from 'vitest';
import { MarshalError } from '@marshal/core/internal';
import { requirePrincipal } from './require-principal.js';
import { nextStep, testCall } from './test-call.js';

interface User { readonly id: string; readonly roles: readonly string[] }

function callBy(principal: User | undefined, endpoint: 'add' | 'count' = 'add') {
  const call = testCall({ endpoint });
  call.principal = principal;
  return call;
}

describe('requirePrincipal', () => {
  const adminsOnly = requirePrincipal<User>((user) => user.roles.includes('admin'), 'only administrators may add items');

  it('lets an allowed principal through', async () => {
    const next = nextStep({ result: 'added' });
    await expect(adminsOnly(callBy({ id: 'alice', roles: ['admin'] }), next)).resolves.toBe('added');
    expect(next.calls).toBe(1);
  });

  it('refuses a known principal without the right with a 403', async () => {
    const next = nextStep();
    const error = await adminsOnly(callBy({ id: 'bob', roles: [] }), next).catch((thrown: unknown) => thrown);
    expect(next.calls).toBe(0);
    expect(error).toBeInstanceOf(MarshalError);
    expect(error).toMatchObject({ code: 'MARSHAL_ERR_FORBIDDEN', status: 403, message: 'only administrators may add items' });
  });

  it('refuses a call no guard identified, without asking the predicate', async () => {
    let asked = 0;
    const counting = requirePrincipal(() => { asked++; return true; });
    await expect(counting(callBy(undefined), nextStep())).rejects.toMatchObject({ code: 'MARSHAL_ERR_FORBIDDEN' });
    expect(asked).toBe(0);
  });

  it('lets calls of a public endpoint through', async () => {
    const next = nextStep();
    await adminsOnly(callBy(undefined, 'count'), next);
    expect(next.calls).toBe(1);
  });

  it('waits for a predicate that answers later, and passes on what it throws', async () => {
    const later = requirePrincipal<User>(async (user, call) => user.id === 'alice' && call.endpoint === 'add');
    await expect(later(callBy({ id: 'alice', roles: [] }), nextStep({ result: 1 }))).resolves.toBe(1);
    await expect(later(callBy({ id: 'bob', roles: [] }), nextStep())).rejects.toMatchObject({ code: 'MARSHAL_ERR_FORBIDDEN' });
    const failure = new Error('the directory is down');
    await expect(requirePrincipal(() => { throw failure; })(callBy({ id: 'a', roles: [] }), nextStep())).rejects.toBe(failure);
  });

  it('takes only true for a yes', async () => {
    const truthy = requirePrincipal(() => 'yes' as unknown as boolean);
    await expect(truthy(callBy({ id: 'a', roles: [] }), nextStep())).rejects.toMatchObject({ code: 'MARSHAL_ERR_FORBIDDEN' });
  });
});
