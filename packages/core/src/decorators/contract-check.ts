import type { Accept, Descriptor, Infer, WrapperDescriptor } from '@marshal/serialization';
import type { ParamList } from './endpoint-spec.js';

/**
 * Compile-time agreement between an endpoint's descriptors and its method signature.
 *
 * For each parameter, what the server decodes (Infer) must fit the method's parameter, and what
 * a caller may pass to the method must be encodable (Accept). For the result, the reverse. A
 * mismatch turns the decorator's expected type into { 'contract mismatch': '<what is wrong>' },
 * which is what the compiler prints.
 */
type Within<A, B> = [A] extends [B] ? true : false;

type ParamProblems<A extends readonly unknown[], P extends ParamList> = {
  [K in keyof P]: P[K] extends readonly [infer Name extends string, infer D]
    ? K extends keyof A
      ? Within<Infer<D>, A[K]> extends false
        ? `parameter '${Name}': the method's type cannot hold what the descriptor decodes to`
        : Within<A[K], Accept<D>> extends false
          ? `parameter '${Name}': the method accepts values the descriptor cannot carry`
          : never
      : `parameter '${Name}' is described but the method does not take it`
    : never;
}[number];

type CountProblem<A extends readonly unknown[], P extends ParamList> =
  Within<Required<A>['length'], P['length']> extends true ? never : 'the method takes more parameters than `params` describes';

type Resolved<Ret, R> = R extends WrapperDescriptor<AsyncIterable<unknown>, unknown> ? Ret : Ret extends PromiseLike<infer U> ? U : never;

type ReturnProblem<Ret, R extends Descriptor> =
  R extends WrapperDescriptor<AsyncIterable<unknown>, unknown>
    ? Within<Infer<R>, Ret> extends true
      ? never
      : 'a stream result: the method must return AsyncIterable of the item type'
    : Ret extends PromiseLike<unknown>
      ? Within<Infer<R>, Resolved<Ret, R>> extends false
        ? "the result: the method's return type cannot hold what `returns` decodes to"
        : Within<Resolved<Ret, R>, Accept<R>> extends false
          ? 'the result: the method returns values `returns` cannot carry'
          : never
      : 'the method must return a Promise: a remote call is asynchronous';

export type ContractProblem<F, P extends ParamList, R extends Descriptor> = F extends (...args: infer A) => infer Ret
  ? ParamProblems<A, P> | CountProblem<A, P> | ReturnProblem<Ret, R>
  : 'an endpoint decorator goes on a method';

/** unknown when the method agrees with its descriptors; otherwise a type the method cannot meet, naming the problem. */
export type Verified<F, P extends ParamList, R extends Descriptor> =
  [ContractProblem<F, P, R>] extends [never] ? unknown : { readonly 'contract mismatch': ContractProblem<F, P, R> };

type AnyMethod = (...args: any[]) => any;

/** A method decorator usable under TC39 decorators and under experimentalDecorators. */
export interface CheckedMethodDecorator<P extends ParamList, R extends Descriptor> {
  <F extends AnyMethod>(value: F & Verified<F, P, R>, context: ClassMethodDecoratorContext): void;
  <F extends AnyMethod>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<F & Verified<F, P, R>>): void;
}
