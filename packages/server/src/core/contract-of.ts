import { ContractError, type ServiceModel, isServiceContract, serviceModelOf } from '@marshal/core/internal';

/** The contract an implementation object serves: the nearest @service class in its prototype chain. */
export function contractOf(implementation: object): ServiceModel {
  for (let proto = Object.getPrototypeOf(implementation); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (isServiceContract(proto.constructor)) return serviceModelOf(proto.constructor);
  }
  const name = implementation?.constructor?.name ?? typeof implementation;
  throw new ContractError(`${name} does not extend a service contract: an implementation extends a class marked @service()`);
}

/**
 * Refuses an implementation that leaves a contract method as the contract wrote it, so a
 * missing override is found when the server is built, not by the first caller.
 */
export function verifyImplementation(implementation: object, model: ServiceModel): void {
  const missing = model.endpoints.filter(
    (endpoint) =>
      endpoint.verifyAbstract &&
      (implementation as Record<string, unknown>)[endpoint.methodName] === (model.type.prototype as Record<string, unknown>)[endpoint.methodName],
  );
  if (missing.length > 0) {
    const names = missing.map((endpoint) => endpoint.methodName).join(', ');
    throw new ContractError(
      `${implementation.constructor.name} does not implement ${model.className}: ${names} (override them, or set verifyAbstract: false on the endpoint or the server)`,
    );
  }
}
