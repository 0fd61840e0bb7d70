import { isStandardDecoratorCall } from '@marshal/serialization/internal';
import { defineServiceModel, type ServiceOptions } from '../contract/service-model.js';

type ClassDecorator = <C extends abstract new (...args: any[]) => unknown>(value: C, context?: ClassDecoratorContext) => void;

/**
 * Marks a class as a service contract. Its methods marked @endpoint/@websocket become the
 * service's endpoints; the whole contract is checked here, so a broken one fails while the
 * class is being defined, with the class, method and parameter in the message.
 * Usable as @service, @service() or @service({ name: 'custom-name' }).
 */
export function service(options?: ServiceOptions): ClassDecorator;
export function service<C extends abstract new (...args: any[]) => unknown>(value: C, context?: ClassDecoratorContext): void;
export function service(...args: unknown[]): ClassDecorator | void {
  if (typeof args[0] === 'function') {
    decorate(args, {});
    return;
  }
  const options = (args[0] ?? {}) as ServiceOptions;
  return ((...decoratorArgs: unknown[]) => decorate(decoratorArgs, options)) as ClassDecorator;
}

function decorate(args: unknown[], options: ServiceOptions): void {
  const target = args[0];
  if (typeof target !== 'function' || (isStandardDecoratorCall(args) && (args[1] as DecoratorContext).kind !== 'class')) {
    throw new TypeError('@service goes on a class');
  }
  defineServiceModel(target, options);
}
