/**
 * The body of a contract method: `select(...): Promise<string[]> { return unimplemented(); }`.
 * A contract only declares; an implementation or a client supplies the behaviour.
 */
export function unimplemented(): never {
  throw new Error('this method belongs to a contract: call it on an implementation or on a client made by createClient');
}
