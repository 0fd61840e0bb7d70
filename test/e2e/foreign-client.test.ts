/**
 * A client written in Python from docs/protocol.md alone (test/foreign-client, standard library
 * only) calls every example service on a real server: the protocol is enough to write one.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exampleServices } from '../../examples/services.js';
import { serveForTests } from '../helpers/serve.js';

const script = fileURLToPath(new URL('../foreign-client/run_examples.py', import.meta.url));

describe('a Python client written from docs/protocol.md', () => {
  const served = serveForTests({ services: exampleServices() });

  it('calls every example service and sees the documented answers and errors', async () => {
    const { stdout } = await promisify(execFile)('python3', [script, served.url], { encoding: 'utf8' });
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('ALL CHECKS PASSED');
    expect(stdout).toMatch(/my-service/);
  });
});
