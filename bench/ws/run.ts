/**
 * WebSocket calls: Marshal's server against a hand-written ws server speaking the same frames
 * (raw-server.ts), as ratios measured in the same run, and the server's RSS during a 1 GiB duplex
 * echo (see ../README.md, "WebSocket"):
 *
 *   pnpm bench:ws -- --rounds 3
 *
 * Each round starts every server in a fresh child process of its own, checks their answers, then
 * runs the load generator (load.ts, on ws) in another child process: per scenario, the servers
 * take turns of --slice seconds, the order rotated every turn, so drift of a noisy machine hits
 * all of them alike. Beside the rates it reads each server's CPU time per unit. The summary gives
 * per server the median rate over the rounds and the median of the per-round ratios against raw.
 * Then, with fresh servers again, one echo of --memory-size MiB per server while the server's RSS
 * is watched (/proc/<pid>/status).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Running, type ServerSpec, fail, median, nodeArgs, serverSpec, startServer as startServerProcess, stopServer } from '../processes.js';
import type { CallOptions } from './calls.js';
import { type LoadOptions, type Scenario, type ScenarioResult, callOnce, scenarios } from './load.js';
import { watchRss } from './rss.js';
import { MiB, chunkSize } from './wire.js';

const here = import.meta.dirname;
const root = resolve(here, '../..');

const servers: Record<string, ServerSpec> = {
  raw: { script: 'raw-server.ts', args: [], label: 'raw ws server', sources: true },
  // The raw handlers in a process that has loaded and built (not started) Marshal's Server too.
  'raw-loaded': { script: 'raw-server.ts', args: ['--marshal-loaded'], label: 'raw handlers, Marshal loaded', sources: true },
  marshal: { script: 'marshal-server.ts', args: [], label: 'marshal Server', sources: true },
  // The same, but @marshal/* loaded from their tsc output (dist/, as published; run `pnpm build` first).
  'marshal-dist': { script: 'marshal-server.ts', args: [], label: 'marshal Server (dist)', sources: false },
};

const serverOf = (name: string) => serverSpec(servers, name, 'marshal-server.ts');

/** What each scenario measures, and the bar Marshal's ratio to raw is held to. */
const scenarioInfo: Record<Scenario, { label: string; unit: string; perSecond: (units: number) => number; cpu: string; cpuPerUnit: number; bar?: number }> = {
  items: { label: 'items (stream(Item))', unit: 'items/s', perSecond: (n) => n, cpu: 'µs/item', cpuPerUnit: 1e6, bar: 0.85 },
  download: { label: 'download (stream(Bytes) out)', unit: 'MB/s', perSecond: (n) => n / 1e6, cpu: 's/GB', cpuPerUnit: 1e9, bar: 0.95 },
  upload: { label: 'upload (stream(Bytes) in)', unit: 'MB/s', perSecond: (n) => n / 1e6, cpu: 's/GB', cpuPerUnit: 1e9, bar: 0.95 },
  ping: { label: 'short calls (ping)', unit: 'calls/s', perSecond: (n) => n, cpu: 'µs/call', cpuPerUnit: 1e6, bar: 0.85 },
  echo: { label: 'duplex echo (stream(Bytes) both ways)', unit: 'MB/s', perSecond: (n) => n / 1e6, cpu: 's/GB', cpuPerUnit: 1e9 },
};

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    rounds: { type: 'string', default: '3' },
    turns: { type: 'string', default: '3' },
    slice: { type: 'string', default: '0.5' },
    warmup: { type: 'string', default: '0.3' },
    items: { type: 'string', default: '1000' },
    size: { type: 'string', default: '8' },
    streams: { type: 'string', default: '1' },
    clients: { type: 'string', default: '50' },
    'memory-size': { type: 'string', default: '1024' },
    scenarios: { type: 'string', default: scenarios.join(',') },
    servers: { type: 'string', default: 'raw,marshal' },
    mask: { type: 'boolean', default: false },
    pin: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`usage: pnpm bench:ws -- [options]
  --rounds N          rounds, each with fresh server processes (default 3; 0: the memory check only)
  --turns N           measured turns per server per scenario and round (default 3)
  --slice S           seconds of calls started per turn (default 0.5)
  --warmup S          seconds of calls per server and scenario before the turns, not measured (default 0.3)
  --items N           items per items call (default 1000)
  --size MiB          bytes per download, upload and echo call (default 8)
  --streams N         items, download, upload and echo calls at once (default 1)
  --clients N         ping calls at once, each on a connection of its own (default 50)
  --memory-size MiB   the echo watched for RSS, once per server, fresh servers (default 1024; 0: none)
  --scenarios LIST    from ${scenarios.join(', ')} (default all)
  --servers LIST      from raw, raw-loaded (raw's handlers in a process that has loaded Marshal's Server),
                      marshal, marshal-dist, marshal@DIR (a saved copy of packages/server/src)
                      (default raw,marshal; raw first)
  --mask              the client masks its frames with random keys (default: a zero key, which ws does not XOR)
  --pin               servers on CPU 1, the load generator on CPU 0 (taskset)
  --cpu-prof DIR      V8 CPU profiles of the servers into DIR/<server>/ (throughput rounds only)
  --json FILE         write all measurements and the summary to FILE`);
  process.exit(0);
}

function positive(name: 'rounds' | 'turns' | 'items' | 'size' | 'streams' | 'clients' | 'slice' | 'warmup' | 'memory-size', { integer = true, zero = false } = {}): number {
  const value = Number(values[name]);
  if (!(integer ? Number.isInteger(value) : Number.isFinite(value)) || value < 0 || (value === 0 && !zero)) {
    fail(`--${name} must be a ${zero ? 'non-negative' : 'positive'} ${integer ? 'integer' : 'number'}`);
  }
  return value;
}

const rounds = positive('rounds', { zero: true });
const turns = positive('turns');
const slice = positive('slice', { integer: false });
const warmup = positive('warmup', { integer: false, zero: true });
const itemsPerCall = positive('items');
const size = positive('size') * MiB;
const streams = positive('streams');
const clients = positive('clients');
const memorySize = positive('memory-size', { zero: true }) * MiB;
const chosen = values.scenarios!.split(',').map((name) => name.trim()) as Scenario[];
for (const name of chosen) if (!scenarios.includes(name)) fail(`unknown scenario '${name}'; known: ${scenarios.join(', ')}`);
const order = values.servers!.split(',').map((name) => name.trim());
for (const name of order) if (!serverOf(name)) fail(`unknown server '${name}'; known: ${Object.keys(servers).join(', ')}, marshal@DIR`);
if (order[0] !== 'raw') fail('--servers must start with raw: every ratio is against it');
if (new Set(order).size !== order.length) fail('--servers lists a server twice');
const cpuProfDir = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;

/** `profile`: the measured rounds are profiled with --cpu-prof; the memory check is not. */
const startServer = (name: string, profile: boolean) =>
  startServerProcess(name, serverOf(name)!, { dir: here, cwd: root, pin: values.pin!, cpuProfDir: profile ? cpuProfDir : undefined });

/** Every server must give the right frames, for counts and sizes that are not whole pieces too, every byte compared. */
async function verify({ name, url }: Running): Promise<void> {
  const check: CallOptions = { mask: values.mask!, checkBytes: true };
  try {
    for (const items of [0, 1, 1000]) await callOnce('items', url, { items, size: 0 }, check);
    await callOnce('ping', url, { items: 0, size: 0 }, check);
    for (const bytes of [0, 1, chunkSize + 7, 3 * MiB + 5]) {
      for (const scenario of ['download', 'upload', 'echo'] as const) await callOnce(scenario, url, { items: 0, size: bytes }, check);
    }
  } catch (error) {
    throw new Error(`${name} gave a wrong answer: ${(error as Error).message}`);
  }
}

async function runLoad(options: LoadOptions): Promise<string> {
  const [command, argv] = nodeArgs(values.pin!, 0, ['--import', 'tsx', join(here, 'load.ts'), JSON.stringify(options)]);
  const child = spawn(command, argv, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the load generator exited with code ${code}`);
  return output.trim().split('\n').pop()!;
}

const fmt = (value: number, digits = 0) =>
  Number.isNaN(value) ? 'n/a' : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const width = Math.max(...order.map((name) => name.length));
const rateOf = (m: ScenarioResult) => scenarioInfo[m.scenario].perSecond(m.rate);
/** Server CPU per unit: µs per item or call, s per GB. */
const cpuPerUnit = (m: ScenarioResult) => (m.serverCpu === undefined ? Number.NaN : (m.serverCpu / m.units) * scenarioInfo[m.scenario].cpuPerUnit);
const concurrency: Record<Scenario, number> = { items: streams, download: streams, upload: streams, ping: clients, echo: streams };

console.log(
  `ws: ${chosen.join(', ')}; ${itemsPerCall} items per items call, ${size / MiB} MiB per download, upload and echo; ` +
    `${streams} stream call${streams > 1 ? 's' : ''} at once, ${clients} ping clients at once\n` +
    (rounds > 0 ? `${rounds} rounds; per round, scenario and server: ${warmup} s warm-up + ${turns} turns of ${slice} s, rotating through ${order.join(', ')}` : 'no throughput rounds') +
    `; client frames ${values.mask ? 'masked with random keys' : 'with a zero mask'}${values.pin ? '; servers on CPU 1, load on CPU 0' : ''}` +
    `${memorySize > 0 ? `; then RSS during a ${memorySize / MiB} MiB echo per server` : ''}`,
);
console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}\n`);

interface Measurement extends ScenarioResult {
  readonly round: number;
}
const measurements: Measurement[] = [];
const started = Date.now();
for (let round = 1; round <= rounds; round++) {
  const running: Running[] = [];
  try {
    for (const name of order) running.push(await startServer(name, true));
    for (const server of running) await verify(server);
    const options: LoadOptions = {
      targets: running.map(({ name, url, child }) => ({ name, url, pid: child.pid! })),
      scenarios: chosen,
      items: itemsPerCall,
      size,
      concurrency,
      warmup,
      slice,
      turns,
      mask: values.mask!,
    };
    const results = JSON.parse(await runLoad(options)) as ScenarioResult[];
    for (const result of results) {
      measurements.push({ round, ...result });
      const info = scenarioInfo[result.scenario];
      const cpu = result.serverCpu === undefined ? '' : `  server CPU ${fmt((100 * result.serverCpu) / result.seconds)}% = ${fmt(cpuPerUnit(result), 3)} ${info.cpu}`;
      console.log(
        `round ${round}  ${result.scenario.padEnd(8)} ${result.name.padEnd(width)}  ${fmt(rateOf(result)).padStart(7)} ${info.unit}` +
          `  (turns ${result.turnRates.map((rate) => fmt(info.perSecond(rate))).join(', ')}; ${result.calls} calls)${cpu}  load CPU ${fmt((100 * result.loadCpu) / result.seconds)}%`,
      );
    }
  } finally {
    await Promise.all(running.map(stopServer));
  }
}
const throughputSeconds = (Date.now() - started) / 1000;

// Summary: medians over rounds, and medians of the per-round ratios against raw.
const summary = chosen.flatMap((scenario) => {
  const of = (name: string) => measurements.filter((m) => m.name === name && m.scenario === scenario);
  const rawByRound = new Map(of('raw').map((m) => [m.round, m]));
  return order.map((name) => {
    const runs = of(name);
    const ratios = runs.map((m) => m.rate / rawByRound.get(m.round)!.rate);
    const cpuRatios = runs.map((m) => cpuPerUnit(rawByRound.get(m.round)!) / cpuPerUnit(m));
    return {
      scenario,
      server: name,
      label: serverOf(name)!.label,
      medianRate: median(runs.map(rateOf)),
      minRate: Math.min(...runs.map(rateOf)),
      maxRate: Math.max(...runs.map(rateOf)),
      medianRatio: median(ratios),
      minRatio: Math.min(...ratios),
      maxRatio: Math.max(...ratios),
      medianCpuPerUnit: median(runs.map(cpuPerUnit)),
      medianCpuRatio: median(cpuRatios),
      medianLoadCpu: median(runs.map((m) => m.loadCpu / m.seconds)),
    };
  });
});

if (rounds > 0) {
  console.log(`\n| scenario | server | median rate | min–max | ×raw (median of rounds) | ×raw min–max | server CPU per unit | ×raw by CPU | load generator CPU |`);
  console.log(`|---|---|---:|---:|---:|---:|---:|---:|---:|`);
  for (const s of summary) {
    const info = scenarioInfo[s.scenario];
    const isRaw = s.server === 'raw';
    console.log(
      `| ${info.label} | ${s.label} | ${fmt(s.medianRate)} ${info.unit} | ${fmt(s.minRate)}–${fmt(s.maxRate)} | ${isRaw ? '1.000' : fmt(s.medianRatio, 3)} | ` +
        `${isRaw ? '—' : `${fmt(s.minRatio, 3)}–${fmt(s.maxRatio, 3)}`} | ${fmt(s.medianCpuPerUnit, 3)} ${info.cpu} | ${isRaw ? '1.000' : fmt(s.medianCpuRatio, 3)} | ${fmt(100 * s.medianLoadCpu)}% |`,
    );
  }
  const bars: string[] = [];
  for (const s of summary) {
    const bar = scenarioInfo[s.scenario].bar;
    if (s.server !== 'raw' && bar !== undefined) bars.push(`${s.scenario} ${s.server}/raw = ${fmt(s.medianRatio, 3)} (bar ≥ ${bar}: ${s.medianRatio >= bar ? 'met' : 'MISSED'})`);
  }
  if (bars.length > 0) console.log(`\n${bars.join('\n')}`);
  console.log(`(throughput rounds took ${fmt(throughputSeconds)} s)`);
}

// Memory: fresh servers, one watched echo each.
interface MemoryResult {
  readonly server: string;
  readonly baselineMiB: number;
  readonly peakMiB: number;
  readonly growthMiB: number;
  readonly mbps: number;
  readonly samples: number;
}
const memory: MemoryResult[] = [];

if (memorySize > 0) {
  console.log(`\nRSS during one ${memorySize / MiB} MiB echo (a fresh server process each; baseline after the answer checks; peak of VmRSS sampled every 20 ms and of VmHWM):`);
  for (const name of order) {
    const server = await startServer(name, false);
    try {
      await verify(server);
      // Let the server settle after its checks (timers, lazy GC) before the baseline is read.
      await new Promise((done) => setTimeout(done, 500));
      const pid = server.child.pid!;
      const options: LoadOptions = {
        targets: [{ name, url: server.url, pid }],
        scenarios: [],
        items: 0,
        size: 0,
        concurrency,
        warmup: 0,
        slice,
        turns: 0,
        mask: values.mask!,
        memoryEcho: memorySize,
      };
      const watched = await watchRss(pid, () => runLoad(options));
      const { seconds } = JSON.parse(watched.result) as { seconds: number };
      const result = {
        server: name,
        baselineMiB: watched.baselineKiB / 1024,
        peakMiB: watched.peakKiB / 1024,
        growthMiB: (watched.peakKiB - watched.baselineKiB) / 1024,
        mbps: memorySize / seconds / 1e6,
        samples: watched.samples,
      };
      memory.push(result);
      console.log(
        `  ${name.padEnd(width)}  baseline ${fmt(result.baselineMiB, 1)} MiB  peak ${fmt(result.peakMiB, 1)} MiB  growth ${fmt(result.growthMiB, 1)} MiB  ` +
          `${fmt(result.mbps)} MB/s (${fmt(seconds, 1)} s, ${result.samples} samples)`,
      );
    } finally {
      await stopServer(server);
    }
  }
  const amount = memorySize % 1024 ** 3 === 0 ? `${memorySize / 1024 ** 3} GiB` : `${memorySize / MiB} MiB`;
  console.log(`\n| server | ${amount} echo: RSS baseline → peak | growth | MB/s each way |`);
  console.log(`|---|---:|---:|---:|`);
  for (const m of memory) console.log(`| ${serverOf(m.server)!.label} | ${fmt(m.baselineMiB, 1)} → ${fmt(m.peakMiB, 1)} MiB | **${fmt(m.growthMiB, 1)} MiB** | ${fmt(m.mbps)} |`);
  for (const m of memory) if (m.server !== 'raw') console.log(`${m.server} echo: RSS growth ${fmt(m.growthMiB, 1)} MiB (bar < 64 MiB: ${m.growthMiB < 64 ? 'met' : 'MISSED'})`);
}
console.log(`(whole run: ${fmt((Date.now() - started) / 1000)} s)`);

if (values.json) {
  writeFileSync(
    resolve(values.json),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model.trim(), options: values, measurements, summary, memory }, null, 2)}\n`,
  );
}
