/**
 * Each negative case in contract-check.ts must fail for its own reason, not for any reason.
 * `tsc -b` only knows that a line marked @ts-expect-error has some error; here the file is
 * compiled with the markers switched off, and the errors on each marked line are compared with
 * the `expect:` lines above its marker:
 *
 * - an expectation `{ 'contract mismatch': … }` is a problem object as the compiler prints it
 *   (`readonly` and whitespace aside); the contract-mismatch objects in the line's errors must be
 *   exactly the expected ones;
 * - any other expectation is a piece of text one of the line's errors must contain;
 * - every error on the line must contain one of the expectations, and no other line may have one.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const casesPath = fileURLToPath(new URL('./contract-check.ts', import.meta.url));
const configPath = fileURLToPath(new URL('../../tsconfig.check.json', import.meta.url));

const marker = '// @ts-expect-error';
/** The same length, so every error keeps its line and column, but no longer a directive. */
const switchedOff = '//  ts-expect-error';
const mismatchStart = "{ 'contract mismatch':";

interface Case {
  /** 0-based line of the code the marker covers. */
  readonly line: number;
  readonly title: string;
  readonly expected: readonly string[];
}

interface Reported {
  /** 0-based; undefined for an error that is in no file. */
  readonly line: number | undefined;
  readonly text: string;
}

/** Whitespace collapsed, property modifiers and trailing semicolons of object types dropped: `{ a: T; b: U }`. */
function normalize(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/([{;] )readonly /g, '$1')
    .replace(/; }/g, ' }')
    .trim();
}

/** The `{ 'contract mismatch': … }` objects in a message, each once. */
function mismatchesIn(text: string): string[] {
  const found = new Set<string>();
  for (let start = text.indexOf(mismatchStart); start !== -1; start = text.indexOf(mismatchStart, start + 1)) {
    let depth = 0;
    let end = start;
    for (; end < text.length; end++) {
      if (text[end] === '{') depth++;
      else if (text[end] === '}' && --depth === 0) break;
    }
    found.add(text.slice(start, end + 1));
  }
  return [...found];
}

/** The marked lines, with the expectations in the comment lines right above each marker. */
function casesOf(lines: readonly string[]): Case[] {
  const isComment = (text: string | undefined): text is string => text !== undefined && /^\s*\/\//.test(text);
  const cases: Case[] = [];
  lines.forEach((text, index) => {
    const at = text.indexOf(marker);
    if (at === -1 || text.slice(0, at).trim() !== '') return;
    let first = index;
    while (isComment(lines[first - 1]) && !lines[first - 1]!.includes(marker)) first--;
    const expected: string[] = [];
    for (const comment of lines.slice(first, index)) {
      const body = comment.trim().replace(/^\/\/\s?/, '').trim();
      // `expect:` starts an expectation; the comment lines after it, up to the next one, continue it.
      if (body.startsWith('expect:')) expected.push(body.slice('expect:'.length));
      else if (expected.length > 0) expected[expected.length - 1] += ` ${body}`;
    }
    const why = text.slice(at + marker.length).trim();
    cases.push({ line: index + 1, title: `line ${index + 2}: ${why || lines[index + 1]!.trim()}`, expected: expected.map(normalize) });
  });
  return cases;
}

/** The errors of the cases file compiled as `tsc -b` compiles it, except that @ts-expect-error hides nothing. */
function compileWithoutMarkers(source: string): Reported[] {
  const config = ts.getParsedCommandLineOfConfigFile(configPath, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!config) throw new Error(`cannot read ${configPath}`);
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    incremental: false,
    composite: false,
    tsBuildInfoFile: undefined,
    // Whole types in the messages, however long: the expectations are compared with them.
    noErrorTruncation: true,
  };
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    resolve(fileName) === casesPath
      ? ts.createSourceFile(fileName, source.replaceAll(marker, switchedOff), languageVersion, true)
      : getSourceFile(fileName, languageVersion, ...rest);
  // No project references: @marshal/* resolve to their sources (the `source` condition), not to dist.
  const program = ts.createProgram({ rootNames: [casesPath], options, host });
  const file = program.getSourceFile(casesPath);
  if (!file) throw new Error(`${casesPath} is not in the program`);
  return ts.getPreEmitDiagnostics(program, file).map((diagnostic) => ({
    line: diagnostic.file === file && diagnostic.start !== undefined ? file.getLineAndCharacterOfPosition(diagnostic.start).line : undefined,
    text: normalize(`TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`),
  }));
}

const source = readFileSync(casesPath, 'utf8');
const cases = casesOf(source.split('\n'));
let compiled: Reported[] | undefined;
const reported = (): Reported[] => (compiled ??= compileWithoutMarkers(source));

describe('compile-time contract checks (test/types/contract-check.ts)', () => {
  // One type-check of the file and of the packages' sources: seconds, many on a busy machine.
  beforeAll(() => void reported(), 120_000);

  it('has negative cases, each with what its error must say', () => {
    expect(cases.length).toBeGreaterThan(10);
    expect(cases.filter((c) => c.expected.length === 0).map((c) => c.title)).toEqual([]);
    expect(source).not.toMatch(/@ts-(ignore|nocheck)/);
  });

  it('has errors on the marked lines only', () => {
    const marked = new Set(cases.map((c) => c.line));
    const elsewhere = reported().filter((r) => r.line === undefined || !marked.has(r.line));
    expect(elsewhere.map((r) => `${r.line === undefined ? '(no line)' : `line ${r.line + 1}`}: ${r.text}`)).toEqual([]);
  });

  for (const { line, title, expected } of cases) {
    it(title, () => {
      const errors = reported().filter((r) => r.line === line);
      expect(errors, 'the marked line compiles').not.toEqual([]);
      for (const error of errors) {
        expect(
          expected.some((expectation) => error.text.includes(expectation)),
          `an error none of the expectations describes:\n${error.text}`,
        ).toBe(true);
      }
      const expectedMismatches = expected.filter((expectation) => expectation.startsWith(mismatchStart));
      const mismatches = [...new Set(errors.flatMap((error) => mismatchesIn(error.text)))];
      expect(mismatches.sort()).toEqual(expectedMismatches.sort());
      for (const expectation of expected) {
        expect(errors.some((error) => error.text.includes(expectation)), `no error says ${expectation}`).toBe(true);
      }
    });
  }
});
