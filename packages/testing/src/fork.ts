import { type ChildProcess, fork as forkProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ListeningMessage } from './listening-message.js';

export interface ForkOptions {
  /** Arguments for the script. */
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Extra Node flags; a .ts script also gets `--import tsx` so it runs as it is. */
  readonly execArgv?: readonly string[];
  /** How long to wait for the child's server to listen (default 20 s). */
  readonly timeoutMs?: number;
  /** Pass the child's output through to this process (default true). */
  readonly inheritOutput?: boolean;
}

/**
 * Runs a script that starts a Server in a separate process, for tests and documentation:
 *
 *   await using fork = await Fork.start('examples/serve.ts', { args: ['--port', '0'] });
 *   const api = createClient(IMyService, fork.url);
 *
 * start() resolves when the child's server listens (it reports its URL over IPC, so port 0
 * works). The child exits when stop() is called, when the parent exits, or when the IPC
 * channel breaks because the parent died: no server is left behind by a failed test.
 */
export class Fork {
  readonly url: string;
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess, url: string) {
    this.#child = child;
    this.url = url;
  }

  static async start(script: string, options: ForkOptions = {}): Promise<Fork> {
    const execArgv = [...(options.execArgv ?? inheritedConditions())];
    if (/\.[cm]?tsx?$/.test(script) && !execArgv.some((flag) => flag.includes('tsx'))) execArgv.push('--import', 'tsx');
    execArgv.push('--import', guardModule());
    const child = forkProcess(script, [...(options.args ?? [])], {
      execArgv,
      env: { ...process.env, ...options.env },
      stdio: options.inheritOutput === false ? ['ignore', 'ignore', 'ignore', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const stopOnExit = () => child.kill('SIGKILL');
    process.once('exit', stopOnExit);
    child.once('exit', () => process.off('exit', stopOnExit));
    try {
      const url = await waitForListening(child, script, options.timeoutMs ?? 20_000);
      return new Fork(child, url);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  /** Stops the child (SIGTERM, then SIGKILL after `graceMs`) and resolves when it has exited. */
  async stop(graceMs = 5_000): Promise<void> {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** The child's process id. */
  get pid(): number {
    return this.#child.pid as number;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

function waitForListening(child: ChildProcess, script: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${script}: no server was listening after ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: unknown) => {
      const listening = message as ListeningMessage | null;
      if (listening && listening.type === 'marshal:listening') finish(undefined, listening.url);
    };
    const onExit = (code: number | null, signal: string | null) => finish(new Error(`${script} exited (${signal ?? `code ${code}`}) before its server listened`));
    const finish = (error?: Error, url?: string) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(url as string);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** This process's --conditions flags (`--conditions=x` or `--conditions x`), so the child resolves packages alike. */
function inheritedConditions(): string[] {
  const flags: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--conditions=')) flags.push(argv[i]);
    else if ((argv[i] === '--conditions' || argv[i] === '-C') && i + 1 < argv.length) flags.push(`--conditions=${argv[++i]}`);
  }
  return flags;
}

/** The module each child loads first: it exits when the parent's IPC channel closes. */
function guardModule(): string {
  const compiled = new URL('./fork-guard.js', import.meta.url);
  return existsSync(fileURLToPath(compiled)) ? compiled.href : new URL('./fork-guard.ts', import.meta.url).href;
}
