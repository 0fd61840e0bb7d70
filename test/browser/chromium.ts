import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's Chromium, where .ci/run installs it; MARSHAL_CHROMIUM names another binary. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.MARSHAL_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => path !== undefined && existsSync(path));
}

/**
 * Opens `url` in a headless Chromium with a fresh profile, until close() is called. The flags
 * keep it from reaching out to the network on its own, which this machine refuses.
 */
export function openInChromium(binary: string, url: string): { close(): Promise<void>; readonly process: ChildProcess } {
  const profile = mkdtempSync(join(tmpdir(), 'marshal-chromium-'));
  const browser = spawn(
    binary,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      url,
    ],
    // A process group of its own: Chromium starts helper processes, and all of them must go.
    { stdio: 'ignore', detached: true },
  );
  const exited = new Promise<void>((resolve) => browser.once('exit', () => resolve()));
  return {
    process: browser,
    async close() {
      try {
        process.kill(-browser.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
      // Helpers may still be letting go of the profile as the group dies; rmSync retries those.
      rmSync(profile, { recursive: true, force: true, maxRetries: 10 });
    },
  };
}
