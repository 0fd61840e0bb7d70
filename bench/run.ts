/**
 * Throughput of one JSON call on three servers doing the same work, as ratios measured in the
 * same run (see README.md):
 *
 *   pnpm bench -- --rounds 5 --duration 5
 *
 * Every measurement starts its server in a fresh child process, checks its answers, then runs
 * the load generator (autocannon) in another child process: a warm-up, then the measured run.
 * Rounds interleave the servers (raw, fastify, marshal, raw, …) so drift hits all of them alike;
 * the summary gives medians of req/s and medians of the per-round ratios against raw node:http.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { expectedBody, payloads, requestBody, requestPath, type PayloadName } from './json-select/payload.js';
import { select } from './json-select/select.js';
import type { LoadOptions, LoadResult } from './json-select/load.js';

const here = import.meta.dirname;
const root = resolve(here, '..');

const servers = {
  raw: { script: 'json-select/raw-server.ts', args: [] as string[], label: 'raw node:http' },
  fastify: { script: 'json-select/fastify-server.ts', args: [], label: 'fastify 5 (no schema)' },
  'fastify-schema': { script: 'json-select/fastify-server.ts', args: ['--schema'], label: 'fastify 5 (response schema)' },
  marshal: { script: 'json-select/marshal-server.ts', args: [], label: 'marshal Server' },
} as const;
type ServerName = keyof typeof servers;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    pipelining: { type: 'string', default: '1' },
    payload: { type: 'string', default: 'seed' },
    servers: { type: 'string', default: 'raw,fastify,marshal' },
    // Pin each server to CPU 1 and the load generator to CPU 0 (taskset), so they never share a core.
    pin: { type: 'boolean', default: false },
    // Don't have autocannon compare every response body (it does by default).
    'no-check-bodies': { type: 'boolean', default: false },
    // Write V8 CPU profiles of the server processes into DIR/<server>/ (this slows them down).
    'cpu-prof': { type: 'string' },
    // Write every measurement and the summary as JSON to this file.
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('usage: pnpm bench -- [--rounds 3] [--duration 5] [--warmup 2] [--connections 10] [--pipelining 1]\n' +
    '                     [--payload seed|records20] [--servers raw,fastify,marshal[,fastify-schema]] [--pin]\n' +
    '                     [--no-check-bodies] [--cpu-prof DIR] [--json FILE]');
  process.exit(0);
}

const rounds = positiveInt('rounds');
const duration = positiveInt('duration');
const warmup = positiveInt('warmup');
const connections = positiveInt('connections');
const pipelining = positiveInt('pipelining');
if (!(values.payload! in payloads)) fail(`--payload must be one of ${Object.keys(payloads).join(', ')}`);
const payload = values.payload as PayloadName;
const order = values.servers!.split(',').map((name) => name.trim()) as ServerName[];
for (const name of order) if (!(name in servers)) fail(`unknown server '${name}'; known: ${Object.keys(servers).join(', ')}`);
if (!order.includes('raw')) fail('--servers must include raw: every ratio is against it');
const body = requestBody(payload);
const cpuProfDir = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;

interface Measurement extends LoadResult {
  readonly round: number;
  readonly server: ServerName;
}

function positiveInt(name: 'rounds' | 'duration' | 'warmup' | 'connections' | 'pipelining'): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) fail(`--${name} must be a positive integer`);
  return value;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

function nodeArgs(cpu: number, args: string[]): [string, string[]] {
  return values.pin ? ['taskset', ['-c', String(cpu), process.execPath, ...args]] : [process.execPath, args];
}

async function startServer(name: ServerName): Promise<{ child: ChildProcess; url: string }> {
  const { script, args } = servers[name];
  const profile = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(cpuProfDir, name)}`] : [];
  const [command, argv] = nodeArgs(1, ['--conditions=source', '--import', 'tsx', ...profile, join(here, script), ...args]);
  const child = spawn(command, argv, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
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
  return { child, url: `http://127.0.0.1:${port}` };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** The server must give exactly the expected answer, and really run the select (drop_duplicates=False differs). */
async function verify(name: ServerName, url: string): Promise<void> {
  const records = payloads[payload] as Record<string, unknown>[];
  const cases = [
    { path: requestPath, expected: expectedBody },
    { path: requestPath.replace('=True', '=False'), expected: JSON.stringify(select('test', records, false)) },
  ];
  for (const { path, expected } of cases) {
    const response = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !type.startsWith('application/json') || text !== expected) {
      throw new Error(`${name} gave a wrong answer to POST ${path}: ${response.status} ${type} ${text.slice(0, 300)} (expected 200 application/json ${expected})`);
    }
  }
}

async function load(name: ServerName, url: string, serverPid: number): Promise<LoadResult> {
  const options: LoadOptions = {
    url: url + requestPath,
    body,
    expectBody: values['no-check-bodies'] ? undefined : expectedBody,
    connections,
    pipelining,
    warmup,
    duration,
    serverPid,
  };
  const [command, argv] = nodeArgs(0, ['--import', 'tsx', join(here, 'json-select/load.ts'), JSON.stringify(options)]);
  const child = spawn(command, argv, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${name}: the load generator exited with code ${code}`);
  const result = JSON.parse(output.trim().split('\n').pop()!) as LoadResult;
  const problems = (['non2xx', 'errors', 'timeouts', 'mismatches'] as const).filter((key) => result[key] !== 0);
  if (problems.length > 0 || result.requests === 0) {
    throw new Error(`${name}: autocannon saw ${problems.map((key) => `${result[key]} ${key}`).join(', ') || 'no requests'}`);
  }
  return result;
}

function median(numbers: readonly number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pad = (text: string, width: number, left = false) => (left ? text.padEnd(width) : text.padStart(width));

console.log(
  `json-select: POST ${requestPath} with ${payload} (${body.length} bytes); ${rounds} rounds × [${order.join(', ')}]; ` +
    `${connections} connections, pipelining ${pipelining}, ${warmup} s warm-up + ${duration} s measured` +
    `${values.pin ? '; server pinned to CPU 1, autocannon to CPU 0' : ''}`,
);
console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}\n`);

const measurements: Measurement[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const name of order) {
    const { child, url } = await startServer(name);
    try {
      await verify(name, url);
      const result = await load(name, url, child.pid!);
      measurements.push({ round, server: name, ...result });
      const cpu = result.serverCpu === undefined ? '' : `, server CPU ${fmt((100 * result.serverCpu) / result.seconds)}%`;
      console.log(
        `round ${round}  ${pad(name, 14, true)} ${pad(fmt(result.rps), 7)} req/s  p50 ${result.latencyP50} ms  p99 ${result.latencyP99} ms${cpu}, autocannon CPU ${fmt((100 * result.loadCpu) / result.seconds)}%`,
      );
    } finally {
      await stopServer(child);
    }
  }
}

// Summary: medians over rounds, and medians of the per-round ratios against raw.
const of = (name: ServerName) => measurements.filter((m) => m.server === name);
const rawByRound = new Map(of('raw').map((m) => [m.round, m]));
const perCpu = (m: LoadResult) => (m.serverCpu ? m.requests / m.serverCpu : Number.NaN);
const summary = order.map((name) => {
  const runs = of(name);
  const ratios = runs.map((m) => m.rps / rawByRound.get(m.round)!.rps);
  const cpuRatios = runs.map((m) => perCpu(m) / perCpu(rawByRound.get(m.round)!));
  return {
    server: name,
    label: servers[name].label,
    medianRps: median(runs.map((m) => m.rps)),
    minRps: Math.min(...runs.map((m) => m.rps)),
    maxRps: Math.max(...runs.map((m) => m.rps)),
    medianP99: median(runs.map((m) => m.latencyP99)),
    medianRatio: median(ratios),
    minRatio: Math.min(...ratios),
    maxRatio: Math.max(...ratios),
    medianReqPerCpuSecond: median(runs.map(perCpu)),
    medianCpuRatio: median(cpuRatios),
  };
});

console.log(`\n| server | median req/s | min–max req/s | p99 ms | ×raw (median of rounds) | ×raw min–max | req per server CPU-s | ×raw per CPU-s |`);
console.log(`|---|---:|---:|---:|---:|---:|---:|---:|`);
for (const s of summary) {
  console.log(
    `| ${s.label} | ${fmt(s.medianRps)} | ${fmt(s.minRps)}–${fmt(s.maxRps)} | ${s.medianP99} | ${fmt(s.medianRatio, 3)} | ${fmt(s.minRatio, 3)}–${fmt(s.maxRatio, 3)} | ` +
      `${Number.isNaN(s.medianReqPerCpuSecond) ? 'n/a' : fmt(s.medianReqPerCpuSecond)} | ${Number.isNaN(s.medianCpuRatio) ? 'n/a' : fmt(s.medianCpuRatio, 3)} |`,
  );
}
const marshal = summary.find((s) => s.server === 'marshal');
if (marshal) console.log(`\nmarshal/raw = ${fmt(marshal.medianRatio, 3)} (bar: ≥ 0.9)`);

if (values.json) {
  writeFileSync(
    resolve(values.json),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, options: values, measurements, summary }, null, 2)}\n`,
  );
}
