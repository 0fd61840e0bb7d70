import type { Accept, Descriptor, Infer, WrapperDescriptor } from '@marshal/serialization/internal';
import type { ParamList } from './endpoint-spec.js';

/**
 * Compile-time agreement between an endpoint's descriptors and its method signature.
 *
 * For each parameter, what the server decodes (Infer) must fit the method's parameter, and what
 * a caller may pass to the method must be encodable (Accept). For the result, the reverse. A
 * mismatch turns the decorator's expected type into an object type the method is not: its
 * 'contract mismatch' says what is wrong, and its other keys hold the two types that disagree,
 * so the compiler's message shows them:
 *
 *   { readonly 'contract mismatch': "parameter 'items': the method's type cannot hold what the descriptor decodes to";
 *     readonly 'the method takes': string; readonly 'the descriptor decodes to': Item[]; }
 *
 * Several problems make a union of such objects.
 */
type Within<A, B> = [A] extends [B] ? true : false;

type ParamProblems<A extends readonly unknown[], P extends ParamList> = {
  [K in keyof P]: P[K] extends readonly [infer Name extends string, infer D]
    ? K extends keyof A
      ? Within<Infer<D>, A[K]> extends false
        ? {
            readonly 'contract mismatch': `parameter '${Name}': the method's type cannot hold what the descriptor decodes to`;
            readonly 'the method takes': A[K];
            readonly 'the descriptor decodes to': Infer<D>;
          }
        : Within<A[K], Accept<D>> extends false
          ? {
              readonly 'contract mismatch': `parameter '${Name}': the method accepts values the descriptor cannot carry`;
              readonly 'the method takes': A[K];
              readonly 'the descriptor accepts': Accept<D>;
            }
          : never
      : { readonly 'contract mismatch': `parameter '${Name}' is described but the method does not take it`; readonly 'the method takes': A }
    : never;
}[number];

/** The parameter names of `params`, as a tuple: ["id", "count"]. */
type ParamNames<P extends ParamList> = { -readonly [K in keyof P]: P[K][0] };

/** Whether the method can take a parameter beyond those `params` describes (fewer is reported per parameter). */
type TakesMore<A extends readonly unknown[], P extends ParamList> = number extends Required<A>['length']
  ? true
  : Within<Required<A>, readonly [...{ [K in keyof P]: unknown }, unknown, ...unknown[]]>;

type CountProblem<A extends readonly unknown[], P extends ParamList> =
  TakesMore<A, P> extends false
    ? never
    : {
        readonly 'contract mismatch': 'the method takes more parameters than `params` describes';
        readonly 'the method takes': A;
        readonly '`params` describes': ParamNames<P>;
      };

type Resolved<Ret, R> = R extends WrapperDescriptor<AsyncIterable<unknown>, unknown> ? Ret : Ret extends PromiseLike<infer U> ? U : never;

type ReturnProblem<Ret, R extends Descriptor> =
  R extends WrapperDescriptor<AsyncIterable<unknown>, unknown>
    ? Within<Infer<R>, Ret> extends true
      ? never
      : {
          readonly 'contract mismatch': 'a stream result: the method must return AsyncIterable of the item type';
          readonly 'the method returns': Ret;
          readonly '`returns` decodes to': Infer<R>;
        }
    : Ret extends PromiseLike<unknown>
      ? Within<Infer<R>, Resolved<Ret, R>> extends false
        ? {
            readonly 'contract mismatch': "the result: the method's return type cannot hold what `returns` decodes to";
            readonly 'the method resolves to': Resolved<Ret, R>;
            readonly '`returns` decodes to': Infer<R>;
          }
        : Within<Resolved<Ret, R>, Accept<R>> extends false
          ? {
              readonly 'contract mismatch': 'the result: the method returns values `returns` cannot carry';
              readonly 'the method resolves to': Resolved<Ret, R>;
              readonly '`returns` accepts': Accept<R>;
            }
          : never
      : { readonly 'contract mismatch': 'the method must return a Promise: a remote call is asynchronous'; readonly 'the method returns': Ret };

/** What is wrong with an endpoint: one { 'contract mismatch': … } object per problem, never when nothing is. */
export type ContractProblem<F, P extends ParamList, R extends Descriptor> = F extends (...args: infer A) => infer Ret
  ? ParamProblems<A, P> | CountProblem<A, P> | ReturnProblem<Ret, R>
  : { readonly 'contract mismatch': 'an endpoint decorator goes on a method' };

/** unknown when the method agrees with its descriptors; otherwise a type the method cannot meet, naming the problem. */
export type Verified<F, P extends ParamList, R extends Descriptor> = [ContractProblem<F, P, R>] extends [never] ? unknown : ContractProblem<F, P, R>;

type AnyMethod = (...args: any[]) => any;

/** A method decorator usable under TC39 decorators and under experimentalDecorators. */
export interface CheckedMethodDecorator<P extends ParamList, R extends Descriptor> {
  <F extends AnyMethod>(value: F & Verified<F, P, R>, context: ClassMethodDecoratorContext): void;
  <F extends AnyMethod>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<F & Verified<F, P, R>>): void;
}
