/**
 * Throughput of one JSON call on servers doing the same work, as ratios against raw node:http
 * measured in the same run (see README.md):
 *
 *   pnpm bench -- --rounds 5 --duration 5
 *
 * Each round starts every server in a fresh child process of its own, checks their answers, then
 * runs the load generator (autocannon) in another child process: after a warm-up, the servers
 * take turns of `--slice` seconds (raw, fastify, marshal, then fastify, marshal, raw, …) until each
 * has had `--duration` seconds, so drift of a noisy machine hits all of them alike. The summary gives the median req/s
 * per server over the rounds and the medians of the per-round ratios against raw.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Running, type ServerSpec, fail, median, nodeArgs, serverSpec, startServer as startServerProcess, stopServer } from './processes.js';
import { closeClient, createClient } from '@marshal/client';
import type { JsonObject } from '@marshal/core';
import { IMyService } from '../examples/my-service/contract.js';
import { expectedBody, payloads, requestBody, requestPath, type PayloadName } from './json-select/payload.js';
import { benchToken, select } from './json-select/select.js';
import type { LoadOptions, LoadResult } from './json-select/load.js';

const here = import.meta.dirname;
const root = resolve(here, '..');

const servers: Record<string, ServerSpec> = {
  raw: { script: 'json-select/raw-server.ts', args: [], label: 'raw node:http', sources: true },
  fastify: { script: 'json-select/fastify-server.ts', args: [], label: 'fastify 5 (no schema)', sources: true },
  'fastify-schema': { script: 'json-select/fastify-server.ts', args: ['--schema'], label: 'fastify 5 (response schema)', sources: true },
  marshal: { script: 'json-select/marshal-server.ts', args: [], label: 'marshal Server', sources: true },
  'marshal-guarded': { script: 'json-select/marshal-server.ts', args: ['--guarded'], label: 'marshal Server, bearerAuth + logCalls (pino)', sources: true },
  'marshal-authenticated': { script: 'json-select/marshal-server.ts', args: ['--authenticated'], label: 'marshal Server, bearerAuth', sources: true },
  'marshal-logged': { script: 'json-select/marshal-server.ts', args: ['--logged'], label: 'marshal Server, logCalls (pino)', sources: true },
  'marshal-context': { script: 'json-select/marshal-server.ts', args: ['--context'], label: 'marshal Server, callContext on', sources: true },
  // The same, but @marshal/* loaded from their tsc output (dist/, as published; run `pnpm build` first).
  'marshal-dist': { script: 'json-select/marshal-server.ts', args: [], label: 'marshal Server (dist)', sources: false },
};

const serverOf = (name: string) => serverSpec(servers, name, 'json-select/marshal-server.ts');

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    slice: { type: 'string', default: '1' },
    connections: { type: 'string', default: '10' },
    pipelining: { type: 'string', default: '1' },
    payload: { type: 'string', default: 'seed' },
    servers: { type: 'string', default: 'raw,fastify,marshal' },
    // Offer a fixed load (req/s) instead of as much as the server takes; then compare server CPU µs per request.
    rate: { type: 'string' },
    // Pin the servers to CPU 1 and the load generator to CPU 0 (taskset), so they never share a core.
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
  console.log(`usage: pnpm bench -- [options]
  --rounds N        rounds, each with fresh server processes (default 3)
  --duration S      seconds measured per server per round (default 5)
  --warmup S        seconds of warm-up per server per round, not measured (default 2)
  --slice S         seconds per turn; the servers take turns, each pass starting one server further,
                    until each had --duration (default 1; 0: one turn each)
  --connections N   autocannon connections (default 10)
  --pipelining N    autocannon pipelining (default 1)
  --payload NAME    seed (the 4 records of the README) or records20 (default seed)
  --servers LIST    from raw, fastify, fastify-schema, marshal, marshal-guarded, marshal-authenticated, marshal-logged, marshal-context, marshal-dist, marshal@DIR (default raw,fastify,marshal)
  --rate N          offer a fixed N req/s instead of as many as the servers take; compare server µs/req then
  --pin             servers on CPU 1, autocannon on CPU 0 (taskset)
  --no-check-bodies don't have autocannon check every response body
  --cpu-prof DIR    V8 CPU profiles of the servers into DIR/<server>/
  --json FILE       write all measurements and the summary to FILE`);
  process.exit(0);
}

const rounds = positiveInt('rounds');
const duration = positiveNumber('duration');
const warmup = positiveNumber('warmup');
const slice = Number(values.slice);
if (!(slice >= 0)) fail('--slice must be 0 or a positive number of seconds');
const connections = positiveInt('connections');
const pipelining = positiveInt('pipelining');
const rate = values.rate === undefined ? undefined : positiveInt('rate');
if (!Object.hasOwn(payloads, values.payload!)) fail(`--payload must be one of ${Object.keys(payloads).join(', ')}`);
const payload = values.payload as PayloadName;
const order = values.servers!.split(',').map((name) => name.trim());
for (const name of order) if (!serverOf(name)) fail(`unknown server '${name}'; known: ${Object.keys(servers).join(', ')}, marshal@DIR`);
if (order[0] !== 'raw') fail('--servers must start with raw: every ratio is against it');
if (new Set(order).size !== order.length) fail('--servers lists a server twice');
const body = requestBody(payload);
const cpuProfDir = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;

const startOptions = { dir: here, cwd: root, pin: values.pin!, cpuProfDir };
const startServer = (name: string) => startServerProcess(name, serverOf(name)!, startOptions);

function positiveInt(name: 'rounds' | 'connections' | 'pipelining' | 'rate'): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) fail(`--${name} must be a positive integer`);
  return value;
}

function positiveNumber(name: 'duration' | 'warmup'): number {
  const value = Number(values[name]);
  if (!(value > 0)) fail(`--${name} must be a positive number of seconds`);
  return value;
}

/** The server must give exactly the expected answer, and really run the select (drop_duplicates=False differs). */
async function verify({ name, url }: Running): Promise<void> {
  const records = payloads[payload] as JsonObject[];
  const cases = [
    { path: requestPath, expected: expectedBody },
    { path: requestPath.replace('=True', '=False'), expected: JSON.stringify(select('test', records, false)) },
  ];
  for (const { path, expected } of cases) {
    const response = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${benchToken}` }, body });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !type.startsWith('application/json') || text !== expected) {
      throw new Error(`${name} gave a wrong answer to POST ${path}: ${response.status} ${type} ${text.slice(0, 300)} (expected 200 application/json ${expected})`);
    }
  }
  // Any of them answers the Marshal client too.
  const api = createClient(IMyService, url, { auth: { token: () => benchToken } });
  try {
    const answer = JSON.stringify(await api.select('test', records, true));
    if (answer !== expectedBody) throw new Error(`${name} gave the Marshal client a wrong answer: ${answer} (expected ${expectedBody})`);
  } finally {
    await closeClient(api);
  }
}

async function load(running: readonly Running[]): Promise<LoadResult[]> {
  const options: LoadOptions = {
    targets: running.map(({ name, url, child }) => ({ name, url: url + requestPath, pid: child.pid! })),
    body,
    expectBody: values['no-check-bodies'] ? undefined : expectedBody,
    connections,
    pipelining,
    warmup,
    duration,
    slice,
    rate,
  };
  const [command, argv] = nodeArgs(values.pin!, 0, ['--import', 'tsx', join(here, 'json-select/load.ts'), JSON.stringify(options)]);
  const child = spawn(command, argv, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the load generator exited with code ${code}`);
  const results = JSON.parse(output.trim().split('\n').pop()!) as LoadResult[];
  for (const result of results) {
    const problems = (['non2xx', 'errors', 'timeouts', 'mismatches'] as const).filter((key) => result[key] !== 0);
    if (problems.length > 0 || result.requests === 0) {
      throw new Error(`${result.name}: autocannon saw ${problems.map((key) => `${result[key]} ${key}`).join(', ') || 'no requests'}`);
    }
  }
  return results;
}

const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const width = Math.max(...order.map((name) => name.length));
const microsPerRequest = (m: LoadResult) => (m.serverCpu === undefined ? Number.NaN : (1e6 * m.serverCpu) / m.requests);

const turns = slice > 0 ? `turns of ~${fmt(duration / Math.max(1, Math.round(duration / slice)), 1)} s` : 'one turn';
console.log(
  `json-select: POST ${requestPath} with ${payload} (${body.length} bytes), answer ${expectedBody}\n` +
    `${rounds} rounds; per round and server: ${warmup} s warm-up + ${duration} s measured in ${turns}, rotating through ${order.join(', ')}; ` +
    `autocannon ${connections} connections, pipelining ${pipelining}` +
    `${rate === undefined ? '' : `, fixed offered load ${rate} req/s`}${values.pin ? '; servers on CPU 1, autocannon on CPU 0' : ''}`,
);
console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}\n`);

interface Measurement extends LoadResult {
  readonly round: number;
}
const measurements: Measurement[] = [];
for (let round = 1; round <= rounds; round++) {
  const running: Running[] = [];
  try {
    for (const name of order) running.push(await startServer(name));
    for (const server of running) await verify(server);
    for (const result of await load(running)) {
      measurements.push({ round, ...result });
      const cpu = result.serverCpu === undefined ? '' :
        `  server CPU ${fmt((100 * result.serverCpu) / result.seconds)}% = ${fmt(microsPerRequest(result), 1)} µs/req`;
      const turnRange = result.sliceRps.length > 1 ? `  (turns ${fmt(Math.min(...result.sliceRps))}–${fmt(Math.max(...result.sliceRps))})` : '';
      console.log(
        `round ${round}  ${result.name.padEnd(width)}  ${fmt(result.rps).padStart(7)} req/s${turnRange}${cpu}  autocannon CPU ${fmt((100 * result.loadCpu) / result.seconds)}%`,
      );
    }
  } finally {
    await Promise.all(running.map(stopServer));
  }
}

// Summary: medians over rounds, and medians of the per-round ratios against raw.
const of = (name: string) => measurements.filter((m) => m.name === name);
const rawByRound = new Map(of('raw').map((m) => [m.round, m]));
const summary = order.map((name) => {
  const runs = of(name);
  const ratios = runs.map((m) => m.rps / rawByRound.get(m.round)!.rps);
  const cpuRatios = runs.map((m) => microsPerRequest(rawByRound.get(m.round)!) / microsPerRequest(m));
  return {
    server: name,
    label: serverOf(name)!.label,
    medianRps: median(runs.map((m) => m.rps)),
    minRps: Math.min(...runs.map((m) => m.rps)),
    maxRps: Math.max(...runs.map((m) => m.rps)),
    medianRatio: median(ratios),
    minRatio: Math.min(...ratios),
    maxRatio: Math.max(...ratios),
    medianMicrosPerRequest: median(runs.map(microsPerRequest)),
    medianCpuRatio: median(cpuRatios),
  };
});

const na = (value: number, digits: number) => (Number.isNaN(value) ? 'n/a' : fmt(value, digits));
console.log(`\n| server | median req/s | min–max req/s | ×raw req/s (median of rounds) | ×raw min–max | server CPU µs/req | ×raw by CPU µs/req |`);
console.log(`|---|---:|---:|---:|---:|---:|---:|`);
for (const s of summary) {
  console.log(
    `| ${s.label} | ${fmt(s.medianRps)} | ${fmt(s.minRps)}–${fmt(s.maxRps)} | ${fmt(s.medianRatio, 3)} | ${fmt(s.minRatio, 3)}–${fmt(s.maxRatio, 3)} | ` +
      `${na(s.medianMicrosPerRequest, 1)} | ${na(s.medianCpuRatio, 3)} |`,
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
