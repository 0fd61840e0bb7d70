/**
 * The reference's own Python client (kaia's foundation_kaia.marshalling) calls Marshal's
 * streaming examples over WebSocket: the websocket-client snippets of its README, unchanged, and
 * its generated ApiCall client, which sends everything and then reads
 * (test/foreign-client/reference_client.py).
 *
 * Needs the reference's source, a bare git directory of okulovsky/kaia (MARSHAL_KAIA_GIT, by
 * default where this machine mirrors it), and a Python with websocket-client and FastAPI, which
 * the package imports (MARSHAL_REFERENCE_PYTHON, by default Debian's /usr/bin/python3 with
 * python3-websocket and python3-fastapi). Without them the file is skipped, except when
 * MARSHAL_REFERENCE_TESTS=required, where what is missing fails it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleServices } from '../../examples/services.js';
import { serveForTests } from '../helpers/serve.js';

const script = fileURLToPath(new URL('../foreign-client/reference_client.py', import.meta.url));
const kaiaGit = process.env.MARSHAL_KAIA_GIT ?? '/work/.mirror/okulovsky+kaia/repo';
const python = process.env.MARSHAL_REFERENCE_PYTHON ?? '/usr/bin/python3';
const required = process.env.MARSHAL_REFERENCE_TESTS === 'required';

/** Whether the mirror and a Python that can import the reference's dependencies are here. */
function available(): boolean {
  if (!existsSync(kaiaGit) || !existsSync(python)) return false;
  try {
    execFileSync(python, ['-c', 'import websocket, fastapi, uvicorn, requests'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!available() && !required)("the reference's Python client against Marshal's streaming examples", () => {
  const served = serveForTests({ services: exampleServices() });
  // The marshalling package alone, from the mirror's newest commit: it imports nothing else of foundation_kaia.
  let source = '';
  let commit = '';

  beforeAll(() => {
    source = mkdtempSync(join(tmpdir(), 'marshal-kaia-'));
    commit = execFileSync('git', ['--git-dir', kaiaGit, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const tar = execFileSync('git', ['--git-dir', kaiaGit, 'archive', '--format=tar', 'HEAD:foundation_kaia/marshalling'], { maxBuffer: 64 << 20 });
    const target = join(source, 'foundation_kaia', 'marshalling');
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-x', '-C', target], { input: tar });
    writeFileSync(join(source, 'foundation_kaia', '__init__.py'), '');
  });

  afterAll(() => {
    if (source !== '') rmSync(source, { recursive: true, force: true });
  });

  it('runs its README snippets and its ApiCall client, and sees the documented results', async () => {
    const { stdout } = await promisify(execFile)(python, [script, served.url], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: source } });
    const lines = stdout.trimEnd().split('\n');
    expect(lines.at(-1), `kaia ${commit}`).toBe('ALL CHECKS PASSED');
    const passed = (label: string) => expect(lines, label).toContain(`ok   ${label}`);
    passed('readme snippet: Iterable[bytes], binary frames then end');
    passed('readme snippet: Iterable[str], item frames');
    passed('readme snippet: Iterable[T], item frames read by Serializer');
    passed('ApiCall streaming-service binary_chunks');
    passed('ApiCall streaming-service text_lines');
    passed('ApiCall streaming-service token_stream: Token dataclasses');
    passed('ApiCall transcriber transcribe: a byte stream in, Tokens out');
    passed('ApiCall transcriber transcribe_file: a file in chunks with file_end, a result frame');
    passed("ApiCall transcriber transcribe: the implementation's refusal raises its message");
    passed('ApiCall value-streams echo: Iterable[str] in and out');
    passed('ApiCall value-streams sum: Iterable[int] in, a result frame out');
  });
});
