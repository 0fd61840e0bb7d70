/**
 * Files over HTTP: upload, download and multipart MB/s of Marshal against hand-written node:http
 * handlers, as ratios measured in the same run, and the server's RSS during a 1 GiB upload and a
 * 1 GiB download (see ../README.md, "files: uploads, downloads, multipart"):
 *
 *   pnpm bench:files -- --rounds 3
 *
 * Each round starts every server in a fresh child process of its own, checks their answers, then
 * runs the load generator (load.ts) in another child process: per scenario, the servers take
 * turns of a few transfers each, the order rotated every turn, so drift of a noisy machine hits all
 * of them alike. Beside MB/s it reads each server's CPU time and minor page faults per GB moved. The summary gives per server the median MB/s over the rounds and the median of the
 * per-round ratios against raw. Then, with fresh servers again, one transfer of --memory-size MiB
 * up and one down per server while the server's RSS is watched (/proc/<pid>/status).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Running, type ServerSpec, fail, median, nodeArgs, serverSpec, startServer as startServerProcess, stopServer } from '../processes.js';
import { Pool, request } from 'undici';
import { MiB, chunkSize, limits, paths, patternChunk } from './common.js';
import { DownloadReader, type LoadOptions, type Scenario, type TransferResult, scenarios, transfer } from './load.js';

const here = import.meta.dirname;
const root = resolve(here, '../..');

const servers: Record<string, ServerSpec> = {
  raw: { script: 'raw-server.ts', args: [], label: 'raw node:http (+ busboy)', sources: true },
  // The raw handlers in a process that has loaded and built (not started) Marshal's Server too.
  'raw-loaded': { script: 'raw-server.ts', args: ['--marshal-loaded'], label: 'raw handlers, Marshal loaded', sources: true },
  marshal: { script: 'marshal-server.ts', args: [], label: 'marshal Server', sources: true },
  // The same, but @marshal/* loaded from their tsc output (dist/, as published; run `pnpm build` first).
  'marshal-dist': { script: 'marshal-server.ts', args: [], label: 'marshal Server (dist)', sources: false },
};

const serverOf = (name: string) => serverSpec(servers, name, 'marshal-server.ts');

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    rounds: { type: 'string', default: '3' },
    size: { type: 'string', default: '64' },
    'multipart-size': { type: 'string', default: '16' },
    transfers: { type: 'string', default: '4' },
    turns: { type: 'string', default: '4' },
    connections: { type: 'string', default: '1' },
    'memory-size': { type: 'string', default: '1024' },
    scenarios: { type: 'string', default: scenarios.join(',') },
    servers: { type: 'string', default: 'raw,marshal' },
    pin: { type: 'boolean', default: false },
    // glibc's malloc trim threshold for the server processes (GLIBC_TUNABLES), in MiB; default: glibc's own.
    'trim-threshold': { type: 'string' },
    'cpu-prof': { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`usage: pnpm bench:files -- [options]
  --rounds N            rounds, each with fresh server processes (default 3; 0: the memory check only)
  --size MiB            bytes per upload and per download (default 64)
  --multipart-size MiB  bytes of the file of a multipart upload (default 16; at most 64, Marshal's fileLimit)
  --transfers N         transfers per turn of a server (default 4; multipart: 4 × that, as its files are 4 × smaller)
  --turns N             turns per server per scenario and round (default 4)
  --connections N       transfers at once, each on a keep-alive connection (default 1)
  --memory-size MiB     the upload and the download watched for RSS, once per server, fresh servers (default 1024; 0: none)
  --scenarios LIST      from upload, download, multipart (default all)
  --servers LIST        from raw, raw-loaded (raw's handlers in a process that has loaded Marshal's Server),
                        marshal, marshal-dist, marshal@DIR (a saved copy of packages/server/src)
                        (default raw,marshal; raw first)
  --pin                 servers on CPU 1, the load generator on CPU 0 (taskset)
  --trim-threshold MiB  glibc malloc's trim threshold in the servers (GLIBC_TUNABLES): how much free memory at
                        the top of the heap is kept rather than handed back to the OS (default: glibc's own)
  --cpu-prof DIR        V8 CPU profiles of the servers into DIR/<server>/ (throughput rounds only)
  --json FILE           write all measurements and the summary to FILE`);
  process.exit(0);
}

const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 0) fail('--rounds must be 0 (the memory check only) or a positive integer');
const size = positiveInt('size') * MiB;
const multipartSize = positiveInt('multipart-size') * MiB;
if (multipartSize > limits.file) fail(`--multipart-size must be at most ${limits.file / MiB} (Marshal's fileLimit)`);
const perTurn = positiveInt('transfers');
const turns = positiveInt('turns');
const connections = positiveInt('connections');
const memorySize = Number(values['memory-size']) * MiB;
if (!Number.isSafeInteger(memorySize) || memorySize < 0) fail('--memory-size must be 0 or a whole number of MiB');
const chosen = values.scenarios!.split(',').map((name) => name.trim()) as Scenario[];
for (const name of chosen) if (!scenarios.includes(name)) fail(`unknown scenario '${name}'; known: ${scenarios.join(', ')}`);
const order = values.servers!.split(',').map((name) => name.trim());
for (const name of order) if (!serverOf(name)) fail(`unknown server '${name}'; known: ${Object.keys(servers).join(', ')}, marshal@DIR`);
if (order[0] !== 'raw') fail('--servers must start with raw: every ratio is against it');
if (new Set(order).size !== order.length) fail('--servers lists a server twice');
const cpuProfDir = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;
const trimThreshold = values['trim-threshold'] === undefined ? undefined : positiveInt('trim-threshold') * MiB;
/** The servers' environment: glibc reads GLIBC_TUNABLES when the process starts. */
const serverEnv = trimThreshold === undefined ? process.env : { ...process.env, GLIBC_TUNABLES: `glibc.malloc.trim_threshold=${trimThreshold}` };

/** `profile`: the measured rounds are profiled with --cpu-prof; the memory check is not. */
const startServer = (name: string, profile: boolean) =>
  startServerProcess(name, serverOf(name)!, { dir: here, cwd: root, pin: values.pin!, cpuProfDir: profile ? cpuProfDir : undefined, env: serverEnv });

const sizes: Record<Scenario, number> = { upload: size, download: size, multipart: multipartSize };
const transfers: Record<Scenario, number> = { upload: perTurn, download: perTurn, multipart: perTurn * Math.max(1, Math.round(size / multipartSize)) };

function positiveInt(name: 'size' | 'multipart-size' | 'transfers' | 'turns' | 'connections' | 'trim-threshold'): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) fail(`--${name} must be a positive integer`);
  return value;
}

/**
 * Every server must give the right answers, for sizes that are not whole pieces too, and a
 * download must carry exactly the pattern's bytes (the load generator then only counts them).
 */
async function verify({ name, url }: Running): Promise<void> {
  const pool = new Pool(url, { connections: 1 });
  const reader = await DownloadReader.open(url);
  try {
    for (const bytes of [0, 1, chunkSize + 7, 3 * MiB + 5]) {
      await transfer(pool, 'upload', bytes);
      await transfer(pool, 'multipart', bytes);
      await transfer(pool, 'download', bytes);
      await reader.get(bytes);
      const { statusCode, body } = await request(url + paths.download(bytes), { dispatcher: pool });
      const received = Buffer.from(await body.arrayBuffer());
      const expected = Buffer.alloc(bytes);
      for (let at = 0; at < bytes; at += chunkSize) patternChunk.copy(expected, at, 0, Math.min(chunkSize, bytes - at));
      if (statusCode !== 200 || !received.equals(expected)) throw new Error(`${name}: a download of ${bytes} bytes did not carry the expected bytes`);
    }
  } catch (error) {
    throw new Error(`${name} gave a wrong answer: ${(error as Error).message}`);
  } finally {
    reader.close();
    await pool.close();
  }
}

async function runLoad(options: LoadOptions): Promise<string> {
  const [command, argv] = nodeArgs(values.pin!, 0, ['--import', 'tsx', join(here, 'load.ts'), JSON.stringify(options)]);
  const child = spawn(command, argv, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the load generator exited with code ${code}`);
  return output;
}

const fmt = (value: number, digits = 0) =>
  Number.isNaN(value) ? 'n/a' : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const width = Math.max(...order.map((name) => name.length));
const label = (scenario: Scenario) => (scenario === 'multipart' ? `multipart (${sizes.multipart / MiB} MiB file)` : `${scenario} (${sizes[scenario] / MiB} MiB)`);
/** Server CPU seconds per GB moved. */
const cpuPerGB = (m: TransferResult) => (m.serverCpu === undefined ? Number.NaN : (m.serverCpu / m.bytes) * 1e9);
/** Server minor page faults per GB moved, in thousands. */
const faultsPerGB = (m: TransferResult) => (m.serverFaults === undefined ? Number.NaN : (m.serverFaults / m.bytes) * 1e6);

console.log(
  `files: ${chosen.map((s) => `${label(s)} × ${transfers[s]} per turn`).join(', ')}\n` +
    (rounds > 0 ? `${rounds} rounds; per round, scenario and server: 1 transfer of warm-up + ${turns} turns, rotating through ${order.join(', ')}; ` : 'no throughput rounds; ') +
    `${connections} keep-alive connection${connections > 1 ? 's' : ''} per server (uploads: undici; downloads: a socket reader)${values.pin ? '; servers on CPU 1, load on CPU 0' : ''}` +
    `${memorySize > 0 ? `; then RSS during a ${memorySize / MiB} MiB upload and download per server` : ''}` +
    `${trimThreshold === undefined ? '' : `; servers with glibc malloc trim_threshold ${trimThreshold / MiB} MiB`}`,
);
console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}\n`);

interface Measurement extends TransferResult {
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
      sizes,
      transfers,
      turns,
      connections,
    };
    const results = JSON.parse((await runLoad(options)).trim().split('\n').pop()!) as TransferResult[];
    for (const result of results) {
      measurements.push({ round, ...result });
      const cpu = result.serverCpu === undefined ? '' : `  server CPU ${fmt((100 * result.serverCpu) / result.seconds)}% = ${fmt(cpuPerGB(result), 2)} s/GB, ${fmt(faultsPerGB(result), 1)}k faults/GB`;
      console.log(
        `round ${round}  ${label(result.scenario).padEnd(26)} ${result.name.padEnd(width)}  ${fmt(result.mbps).padStart(6)} MB/s` +
          `  (turns ${result.turnMbps.map((m) => fmt(m)).join(', ')})${cpu}  load CPU ${fmt((100 * result.loadCpu) / result.seconds)}%`,
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
    const ratios = runs.map((m) => m.mbps / rawByRound.get(m.round)!.mbps);
    const cpuRatios = runs.map((m) => cpuPerGB(rawByRound.get(m.round)!) / cpuPerGB(m));
    return {
      scenario,
      server: name,
      label: serverOf(name)!.label,
      medianMbps: median(runs.map((m) => m.mbps)),
      minMbps: Math.min(...runs.map((m) => m.mbps)),
      maxMbps: Math.max(...runs.map((m) => m.mbps)),
      medianRatio: median(ratios),
      minRatio: Math.min(...ratios),
      maxRatio: Math.max(...ratios),
      medianCpuPerGB: median(runs.map(cpuPerGB)),
      medianCpuRatio: median(cpuRatios),
      medianFaultsPerGB: median(runs.map(faultsPerGB)),
    };
  });
});

if (rounds > 0) printSummary();

function printSummary(): void {
  console.log(`\n| scenario | server | median MB/s | min–max MB/s | ×raw MB/s (median of rounds) | ×raw min–max | server CPU s/GB | ×raw by CPU s/GB | server page faults/GB |`);
  console.log(`|---|---|---:|---:|---:|---:|---:|---:|---:|`);
  for (const s of summary) {
    const ratio = s.server === 'raw' ? '1.000' : fmt(s.medianRatio, 3);
    const spread = s.server === 'raw' ? '—' : `${fmt(s.minRatio, 3)}–${fmt(s.maxRatio, 3)}`;
    console.log(
      `| ${label(s.scenario)} | ${s.label} | ${fmt(s.medianMbps)} | ${fmt(s.minMbps)}–${fmt(s.maxMbps)} | ${ratio} | ${spread} | ` +
        `${fmt(s.medianCpuPerGB, 3)} | ${s.server === 'raw' ? '1.000' : fmt(s.medianCpuRatio, 3)} | ${fmt(s.medianFaultsPerGB, 1)}k |`,
    );
  }
  const bars: string[] = [];
  for (const s of summary) if (s.server !== 'raw') bars.push(`${s.scenario} ${s.server}/raw = ${fmt(s.medianRatio, 3)} (bar ≥ 0.9: ${s.medianRatio >= 0.9 ? 'met' : 'MISSED'})`);
  if (bars.length > 0) console.log(`\n${bars.join('\n')}`);
  console.log(`(throughput rounds took ${fmt(throughputSeconds)} s)`);
}

// Memory: fresh servers, one watched transfer up and one down each.
interface MemoryResult {
  readonly server: string;
  readonly scenario: 'upload' | 'download';
  readonly baselineMiB: number;
  readonly peakMiB: number;
  readonly growthMiB: number;
  readonly samples: number;
  readonly seconds: number;
}
const memory: MemoryResult[] = [];

/** VmRSS and VmHWM of a process, in KiB. */
function rssOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: Number(/VmRSS:\s+(\d+)/.exec(status)![1]), hwm: Number(/VmHWM:\s+(\d+)/.exec(status)![1]) };
}

/** Resets a process's VmHWM to its current RSS (Linux 4.0+); false where not allowed. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

async function watch(server: Running, scenario: 'upload' | 'download'): Promise<MemoryResult> {
  const pid = server.child.pid!;
  // Let the server settle after its checks (timers, lazy GC) before the baseline is read.
  await new Promise((done) => setTimeout(done, 500));
  const peakWasReset = resetPeak(pid);
  const baseline = rssOf(pid).rss;
  let peak = baseline;
  let samples = 0;
  const sampler = setInterval(() => {
    samples++;
    peak = Math.max(peak, rssOf(pid).rss);
  }, 20);
  const start = Date.now();
  try {
    await runLoad({
      targets: [{ name: server.name, url: server.url, pid }],
      scenarios: [scenario],
      sizes: { ...sizes, [scenario]: memorySize },
      transfers,
      turns: 1,
      connections: 1,
      memory: scenario,
    });
  } finally {
    clearInterval(sampler);
  }
  const seconds = (Date.now() - start) / 1000;
  const after = rssOf(pid);
  // VmHWM catches a peak between two samples; only once reset to the baseline does it say anything about this transfer.
  peak = Math.max(peak, after.rss, peakWasReset ? after.hwm : 0);
  return { server: server.name, scenario, baselineMiB: baseline / 1024, peakMiB: peak / 1024, growthMiB: (peak - baseline) / 1024, samples, seconds };
}

if (memorySize > 0) {
  console.log(
    `\nRSS during one ${memorySize / MiB} MiB transfer (a fresh server process for each; baseline after the answer checks; ` +
      'peak of VmRSS sampled every 20 ms and of VmHWM):',
  );
  for (const name of order) {
    for (const scenario of ['upload', 'download'] as const) {
      const server = await startServer(name, false);
      try {
        await verify(server);
        const result = await watch(server, scenario);
        memory.push(result);
        console.log(
          `  ${name.padEnd(width)}  ${scenario.padEnd(8)}  baseline ${fmt(result.baselineMiB, 1)} MiB  peak ${fmt(result.peakMiB, 1)} MiB  ` +
            `growth ${fmt(result.growthMiB, 1)} MiB  (${fmt(result.seconds, 1)} s with the load generator's start, ${result.samples} samples)`,
        );
      } finally {
        await stopServer(server);
      }
    }
  }
  const amount = memorySize % 1024 ** 3 === 0 ? `${memorySize / 1024 ** 3} GiB` : `${memorySize / MiB} MiB`;
  console.log(`\n| server | ${amount} upload: RSS baseline → peak | growth | ${amount} download: RSS baseline → peak | growth |`);
  console.log(`|---|---:|---:|---:|---:|`);
  for (const name of order) {
    const cells = (['upload', 'download'] as const).map((scenario) => {
      const m = memory.find((r) => r.server === name && r.scenario === scenario)!;
      return `${fmt(m.baselineMiB, 1)} → ${fmt(m.peakMiB, 1)} MiB | **${fmt(m.growthMiB, 1)} MiB**`;
    });
    console.log(`| ${serverOf(name)!.label} | ${cells.join(' | ')} |`);
  }
  for (const m of memory) if (m.server !== 'raw') console.log(`${m.server} ${m.scenario}: RSS growth ${fmt(m.growthMiB, 1)} MiB (bar < 64 MiB: ${m.growthMiB < 64 ? 'met' : 'MISSED'})`);
}
console.log(`(whole run: ${fmt((Date.now() - started) / 1000)} s)`);

if (values.json) {
  writeFileSync(
    resolve(values.json),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model.trim(), options: values, measurements, summary, memory }, null, 2)}\n`,
  );
}
