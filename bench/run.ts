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
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type LoadTarget, type Running, type ServerSpec, fail, runLoadGenerator, serverOrder, serverSpec, startServer as startServerProcess } from './processes.js';
import { describeMachine, formatNumber, formatPercent, printTable, writeResults } from './report.js';
import { measureRounds } from './rounds.js';
import { perUnit, summarize, summaryColumns } from './summary.js';
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
const order = serverOrder(values.servers!, servers, 'json-select/marshal-server.ts');
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

async function load(servers: readonly LoadTarget[]): Promise<LoadResult[]> {
  const options: LoadOptions = {
    targets: servers.map((server) => ({ ...server, url: server.url + requestPath })),
    body,
    expectBody: values['no-check-bodies'] ? undefined : expectedBody,
    connections,
    pipelining,
    warmup,
    duration,
    slice,
    rate,
  };
  const results = JSON.parse(await runLoadGenerator(join(here, 'json-select/load.ts'), options, { pin: values.pin!, cwd: root })) as LoadResult[];
  for (const result of results) {
    const problems = (['non2xx', 'errors', 'timeouts', 'mismatches'] as const).filter((key) => result[key] !== 0);
    if (problems.length > 0 || result.requests === 0) {
      throw new Error(`${result.name}: autocannon saw ${problems.map((key) => `${result[key]} ${key}`).join(', ') || 'no requests'}`);
    }
  }
  return results;
}

const width = Math.max(...order.map((name) => name.length));
const microsPerRequest = (m: LoadResult) => perUnit(m.serverCpu, m.requests, 1e6);

const turns = slice > 0 ? `turns of ~${formatNumber(duration / Math.max(1, Math.round(duration / slice)), 1)} s` : 'one turn';
console.log(
  `json-select: POST ${requestPath} with ${payload} (${body.length} bytes), answer ${expectedBody}\n` +
    `${rounds} rounds; per round and server: ${warmup} s warm-up + ${duration} s measured in ${turns}, rotating through ${order.join(', ')}; ` +
    `autocannon ${connections} connections, pipelining ${pipelining}` +
    `${rate === undefined ? '' : `, fixed offered load ${rate} req/s`}${values.pin ? '; servers on CPU 1, autocannon on CPU 0' : ''}`,
);
console.log(`${describeMachine()}\n`);

const measurements = await measureRounds({
  rounds,
  servers: order,
  start: startServer,
  verify,
  measure: load,
  report: (result) => {
    const cpu = result.serverCpu === undefined ? '' :
      `  server CPU ${formatPercent(result.serverCpu, result.seconds)} = ${formatNumber(microsPerRequest(result), 1)} µs/req`;
    const turnRange = result.sliceRps.length > 1 ? `  (turns ${formatNumber(Math.min(...result.sliceRps))}–${formatNumber(Math.max(...result.sliceRps))})` : '';
    console.log(
      `round ${result.round}  ${result.name.padEnd(width)}  ${formatNumber(result.rps).padStart(7)} req/s${turnRange}${cpu}  autocannon CPU ${formatPercent(result.loadCpu, result.seconds)}`,
    );
  },
});

// Summary: medians over rounds, and medians of the per-round ratios against raw.
const summary = summarize(measurements, order, { rate: (m) => m.rps, cpuPerUnit: microsPerRequest }).map((s) => ({ label: serverOf(s.server)!.label, ...s }));

printTable(summaryColumns({ rate: 'req/s', cpu: 'µs/req', cpuDigits: 1 }), summary);
const marshal = summary.find((s) => s.server === 'marshal');
if (marshal) console.log(`\nmarshal/raw = ${formatNumber(marshal.medianRatio, 3)} (bar: ≥ 0.9)`);

if (values.json) writeResults(values.json, { options: values, measurements, summary });
