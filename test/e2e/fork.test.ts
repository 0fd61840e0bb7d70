import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closeClient, createClient, waitForReply } from '@marshal/client';
import { Fork } from '@marshal/testing';
import { IMyService } from '../../examples/my-service/contract.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const serveScript = here('../../examples/serve.ts');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves when the process is gone; gives up after `limitMs`. */
async function waitForExit(pid: number, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !isAlive(pid);
}

describe('Fork', () => {
  it('runs the example server in a child process and stops it', async () => {
    const fork = await Fork.start(serveScript, { args: ['--port', '0'], inheritOutput: false });
    expect(fork.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await waitForReply(fork.url, 5);
    const api = createClient(IMyService, fork.url);
    expect(await api.select('a', [{ id: 'a', text: 'x' }], false)).toEqual(['x']);
    await closeClient(api);
    const pid = fork.pid;
    await fork.stop();
    expect(isAlive(pid)).toBe(false);
    await expect(waitForReply(fork.url, 0.2)).rejects.toThrow(/did not answer 200/);
  });

  it('reports a script that exits before listening', async () => {
    await expect(Fork.start(here('../fixtures/exits-early.ts'), { inheritOutput: false })).rejects.toThrow(/exited \(code 3\) before its server listened/);
  });

  it('leaves no server behind when the parent dies', async () => {
    const parent = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', here('../fixtures/orphaning-parent.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(createInterface({ input: parent.stdout! }), 'line')) as [string];
    const { pid, url } = JSON.parse(line) as { pid: number; url: string };
    await waitForReply(url, 5);
    parent.kill('SIGKILL');
    expect(await waitForExit(pid, 10_000)).toBe(true);
  });
});
