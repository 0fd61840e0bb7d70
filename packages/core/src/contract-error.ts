/**
 * A contract that cannot work as written: raised while decorating or when a server or client is
 * built from it, never at call time. The message names the class, method and parameter.
 */
export class ContractError extends Error {
  override name = 'ContractError';
}

export function contractError(where: { className?: string; method?: string; parameter?: string }, problem: string): ContractError {
  let at = where.className ?? '(class)';
  if (where.method) at += `.${where.method}`;
  if (where.parameter) at += `(${where.parameter})`;
  return new ContractError(`${at}: ${problem}`);
}
