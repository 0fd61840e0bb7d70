/**
 * What both benchmark runners (run.ts for JSON calls, files/run.ts for files and streams) do with
 * processes: start each server in a child of its own and wait for its `LISTENING <port>` line,
 * stop it, read its CPU time from /proc, and take medians.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleServer } from './server-bundle.js';

export interface ServerSpec {
  /** The server script, relative to the runner's folder. */
  readonly script: string;
  readonly args: readonly string[];
  readonly label: string;
  /** Resolve @marshal/* to their TypeScript sources (the "source" export condition) rather than dist/. */
  readonly sources: boolean;
  /** A file that stands for @marshal/server in the server's bundle (marshal@DIR). */
  readonly marshalServer?: string;
}

/** A running server as the load generator sees it. */
export interface LoadTarget {
  readonly name: string;
  readonly url: string;
  /** The server's pid, to read how much CPU it used while measured (Linux /proc). */
  readonly pid: number;
}

export interface Running {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
}

export interface StartOptions {
  /** The runner's folder, which server scripts are relative to. */
  readonly dir: string;
  /** The working directory of the child. */
  readonly cwd: string;
  /** Servers on CPU 1 (taskset); the load generator goes on CPU 0. */
  readonly pin: boolean;
  /** Write V8 CPU profiles into DIR/<server>/. */
  readonly cpuProfDir?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * A known name, or marshal@DIR: `marshalScript` with @marshal/server taken from DIR/index.ts, a
 * saved copy of packages/server/src to compare with.
 */
export function serverSpec(servers: Readonly<Record<string, ServerSpec>>, name: string, marshalScript: string): ServerSpec | undefined {
  if (name.startsWith('marshal@')) {
    const dir = name.slice('marshal@'.length);
    return { script: marshalScript, args: [], label: `marshal Server from ${dir}`, sources: true, marshalServer: resolve(dir, 'index.ts') };
  }
  return Object.hasOwn(servers, name) ? servers[name] : undefined;
}

export function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

/** The command that runs node with `args`, pinned to `cpu` when asked. */
export function nodeArgs(pin: boolean, cpu: number, args: string[]): [string, string[]] {
  return pin ? ['taskset', ['-c', String(cpu), process.execPath, ...args]] : [process.execPath, args];
}

/** Starts a server in plain node on its script's bundle (server-bundle.ts says why not under tsx). */
export async function startServer(name: string, spec: ServerSpec, options: StartOptions): Promise<Running> {
  const { cpuProfDir } = options;
  const profile = cpuProfDir ? ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${join(cpuProfDir, name.replace(/\W+/g, '_'))}`] : [];
  const script = await bundleServer(join(options.dir, spec.script), spec);
  const [command, argv] = nodeArgs(options.pin, 1, [...profile, script, ...spec.args]);
  const child = spawn(command, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolvePort, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${name}: no LISTENING line after 30 s`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /LISTENING (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name}: the server exited (code ${code}) before listening`));
    });
  });
  return { name, child, url: `http://127.0.0.1:${port}` };
}

export async function stopServer({ child }: Running): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export function median(numbers: readonly number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * CPU seconds a process has run so far, all its threads: /proc/<pid>/task/<tid>/schedstat
 * (nanoseconds), or else /proc/<pid>/stat (10 ms ticks); undefined where there is no /proc.
 */
export function cpuSeconds(pid: number): number | undefined {
  try {
    let total = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    }
    return total / 1e9;
  } catch {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
    } catch {
      return undefined;
    }
  }
}
