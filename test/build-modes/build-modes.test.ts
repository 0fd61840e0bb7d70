/**
 * The contract decorators under every compiler and decorator mode a user may build with: the
 * fixtures are compiled by tsc, SWC and esbuild, with TC39 decorators and with
 * experimentalDecorators (never emitDecoratorMetadata), and each build must print the same summary.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Build, type BuildMode, compile, fixturePath, runCompiled } from './compile.js';
import { expectedBrokenContract, expectedClassTransformer, expectedSummary } from './expected-summary.js';

const modes: BuildMode[] = [
  { name: 'tsc-tc39', compiler: 'tsc', legacy: false, helper: '__esDecorate' },
  { name: 'tsc-legacy', compiler: 'tsc', legacy: true, helper: '__decorate' },
  // SWC implements two versions of the TC39 proposal; 2023-11 is the one TypeScript 5 follows.
  { name: 'swc-tc39-2022-03', compiler: 'swc', legacy: false, swcDecoratorVersion: '2022-03', helper: '_apply_decs_2203_r' },
  { name: 'swc-tc39-2023-11', compiler: 'swc', legacy: false, swcDecoratorVersion: '2023-11', helper: '_apply_decs_2311' },
  { name: 'swc-legacy', compiler: 'swc', legacy: true, helper: '_ts_decorate' },
  { name: 'esbuild-tc39', compiler: 'esbuild', legacy: false, helper: '__decorateElement' },
  { name: 'esbuild-legacy', compiler: 'esbuild', legacy: true, helper: '__decorateClass' },
];

const helpersCalledBy = (code: string): string[] => modes.map((mode) => mode.helper).filter((helper) => new RegExp(`\\b${helper}\\(`).test(code));

describe.each(modes)('fixtures compiled by $name', (mode) => {
  let build: Build;
  let summary: Record<string, unknown>;
  beforeAll(async () => {
    build = await compile(mode);
    summary = (await runCompiled(build, fixturePath(mode.legacy ? 'legacy-only/main.js' : 'main.js'))) as Record<string, unknown>;
  }, 60_000);

  it("runs this compiler's own lowering of this decorator mode, without design-type metadata", () => {
    for (const file of ['examples/my-service/contract.js', fixturePath('dto-graph.js')]) {
      const code = build.outputs.get(file) ?? '';
      expect(helpersCalledBy(code), file).toEqual([mode.helper]);
      expect(code, file).not.toMatch(/design:|__metadata\(|_ts_metadata\(/);
    }
  });

  it('gives the same contract models, DTO round trips and HTTP call as every other build', () => {
    const { brokenContract, classTransformer, ...common } = summary;
    expect(common).toEqual(expectedSummary);
  });

  it('refuses a broken descriptor while the class is defined, naming class, method and parameter', () => {
    expect(summary.brokenContract).toEqual(expectedBrokenContract);
  });

  // class-transformer's decorators only work as experimentalDecorators, so only those builds have the fixture.
  if (mode.legacy) {
    it('decodes class-transformer DTOs as endpoint parameters', () => {
      expect(summary.classTransformer).toEqual(expectedClassTransformer);
    });
  }
});
