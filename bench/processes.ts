/**
 * What the benchmark runners (run.ts for JSON calls, files/run.ts for files, ws/run.ts for
 * WebSocket calls) do with processes: choose the servers, start each in a child of its own and wait
 * for its `LISTENING <port>` line, stop it, run the load generator in another child, and read a
 * server's CPU time from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleServer } from './server-bundle.js';
import { baseline } from './summary.js';

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

/**
 * The servers of a runner that sets a hand-written server (raw-server.ts) against Marshal's
 * (marshal-server.ts), both in the runner's folder: raw and marshal, raw-loaded (raw's handlers in
 * a process that has loaded and built, not started, Marshal's Server too: what merely loading it
 * costs) and marshal-dist (@marshal/* from their tsc output, as published; run `pnpm build` first).
 */
export function rawAgainstMarshal(rawLabel: string): Record<string, ServerSpec> {
  return {
    raw: { script: 'raw-server.ts', args: [], label: rawLabel, sources: true },
    'raw-loaded': { script: 'raw-server.ts', args: ['--marshal-loaded'], label: 'raw handlers, Marshal loaded', sources: true },
    marshal: { script: 'marshal-server.ts', args: [], label: 'marshal Server', sources: true },
    'marshal-dist': { script: 'marshal-server.ts', args: [], label: 'marshal Server (dist)', sources: false },
  };
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

/** The servers of a --servers list, in its order: each known, none twice, raw (the baseline) first. */
export function serverOrder(list: string, servers: Readonly<Record<string, ServerSpec>>, marshalScript: string): string[] {
  const order = list.split(',').map((name) => name.trim());
  for (const name of order) if (!serverSpec(servers, name, marshalScript)) fail(`unknown server '${name}'; known: ${Object.keys(servers).join(', ')}, marshal@DIR`);
  if (order[0] !== baseline) fail(`--servers must start with ${baseline}: every ratio is against it`);
  if (new Set(order).size !== order.length) fail('--servers lists a server twice');
  return order;
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

/** Starts `names` in order, hands them to `use`, and stops every one started, however `use` ends. */
export async function withServers<T>(names: readonly string[], start: (name: string) => Promise<Running>, use: (running: readonly Running[]) => Promise<T>): Promise<T> {
  const running: Running[] = [];
  try {
    for (const name of names) running.push(await start(name));
    return await use(running);
  } finally {
    await Promise.all(running.map(stopServer));
  }
}

/**
 * Runs a load generator script (under tsx, on CPU 0 when pinned) with `options` as its JSON
 * argument, and returns the last line it printed: its results, as JSON.
 */
export async function runLoadGenerator(script: string, options: unknown, { pin, cwd }: { readonly pin: boolean; readonly cwd: string }): Promise<string> {
  const [command, argv] = nodeArgs(pin, 0, ['--import', 'tsx', script, JSON.stringify(options)]);
  const child = spawn(command, argv, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the load generator exited with code ${code}`);
  return output.trim().split('\n').pop()!;
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
