/**
 * Compiles the fixtures with tsc, SWC or esbuild, in one decorator mode, through each compiler's
 * own JS API (no child process per compiler), and runs the compiled entry point.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import swc from '@swc/core';
import * as esbuild from 'esbuild';

export interface BuildMode {
  /** Also the name of the output directory. */
  readonly name: string;
  readonly compiler: 'tsc' | 'swc' | 'esbuild';
  /** experimentalDecorators; otherwise TC39 standard decorators. */
  readonly legacy: boolean;
  readonly swcDecoratorVersion?: '2022-03' | '2023-11';
  /** A helper that only this compiler emits for this decorator mode: proof that the output is its lowering. */
  readonly helper: string;
}

export interface Build {
  readonly outDir: string;
  /** Compiled JS by path relative to the repository (`test/build-modes/fixtures/main.js`). */
  readonly outputs: ReadonlyMap<string, string>;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const buildRoot = join(repoRoot, '.tmp', 'build-modes');
const legacyOnlyDir = 'legacy-only';
// The examples' own contracts are compiled too, so the fixtures use them instead of copies.
const exampleFiles = ['examples/my-service/contract.ts', 'examples/my-service/my-service.ts', 'examples/my-service/select-texts.ts'].map((path) => join(repoRoot, path));
// class-transformer's decorators exist only in the legacy calling convention.
const fixtureFiles = (legacy: boolean): string[] => [
  ...exampleFiles,
  ...readdirSync(fixturesDir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts') && (legacy || !path.startsWith(legacyOnlyDir)))
    .map((path) => join(fixturesDir, path)),
];

/** Output paths mirror the repository, so relative imports between fixtures and examples still resolve. */
const jsPathOf = (file: string): string => relative(repoRoot, file).replace(/\.ts$/, '.js');
export const fixturePath = (path: string): string => relative(repoRoot, join(fixturesDir, path));

export async function compile(mode: BuildMode): Promise<Build> {
  const files = fixtureFiles(mode.legacy);
  const outputs = mode.compiler === 'tsc' ? compileWithTsc(files, mode.legacy) : await compileEachFile(files, mode);
  // Under .tmp of the workspace, so the output resolves @marshal/* and class-transformer from its node_modules.
  const outDir = join(buildRoot, mode.name);
  rmSync(outDir, { recursive: true, force: true });
  for (const [path, code] of outputs) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    writeFileSync(join(outDir, path), code);
  }
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  return { outDir, outputs };
}

/** A full tsc program, as `tsc -p` would build it: the fixtures must also type-check in this mode. */
function compileWithTsc(files: string[], legacy: boolean): Map<string, string> {
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      customConditions: ['source'],
      types: ['node'],
      strict: true,
      noImplicitOverride: true,
      skipLibCheck: true,
      experimentalDecorators: legacy,
      emitDecoratorMetadata: false,
    },
    repoRoot,
  );
  const program = ts.createProgram(files, options);
  const diagnostics = [...errors, ...ts.getPreEmitDiagnostics(program)];
  if (diagnostics.length > 0) {
    throw new Error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => repoRoot, getNewLine: () => '\n' }));
  }
  const outputs = new Map<string, string>();
  // The program also holds the packages' sources; only the fixtures are emitted.
  for (const file of files) {
    program.emit(program.getSourceFile(file), (fileName, text) => {
      if (fileName.endsWith('.js')) outputs.set(jsPathOf(file), text);
    });
  }
  return outputs;
}

/** SWC and esbuild transpile file by file, without type information, as they do in real builds. */
async function compileEachFile(files: string[], mode: BuildMode): Promise<Map<string, string>> {
  const compiled = await Promise.all(
    files.map(async (file) => {
      const source = readFileSync(file, 'utf8');
      const code = mode.compiler === 'swc' ? await compileWithSwc(source, file, mode) : await compileWithEsbuild(source, file, mode.legacy);
      return [jsPathOf(file), code] as const;
    }),
  );
  return new Map(compiled);
}

async function compileWithSwc(source: string, file: string, mode: BuildMode): Promise<string> {
  const { code } = await swc.transform(source, {
    filename: file,
    swcrc: false,
    configFile: false,
    module: { type: 'es6' },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: mode.legacy ? { legacyDecorator: true, decoratorMetadata: false } : { decoratorVersion: mode.swcDecoratorVersion },
    },
  });
  return code;
}

async function compileWithEsbuild(source: string, file: string, legacy: boolean): Promise<string> {
  const { code } = await esbuild.transform(source, {
    sourcefile: file,
    loader: 'ts',
    format: 'esm',
    target: 'es2022',
    // esbuild takes the decorator mode from tsconfig, as a build would read it from tsconfig.json.
    tsconfigRaw: { compilerOptions: { experimentalDecorators: legacy } },
  });
  return code;
}

const run = promisify(execFile);

/**
 * Runs a compiled entry point and parses the JSON it prints. tsx is there only to load the
 * workspace packages from their TS sources (the "source" condition); it leaves .js files alone,
 * so the fixtures run exactly as the compiler emitted them.
 */
export async function runCompiled(build: Build, entry: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', join(build.outDir, entry)], {
    cwd: repoRoot,
    timeout: 30_000,
  });
  return JSON.parse(stdout);
}
