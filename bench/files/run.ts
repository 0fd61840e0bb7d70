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
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Running, fail, rawAgainstMarshal, runLoadGenerator, serverOrder, serverSpec, startServer as startServerProcess, withServers } from '../processes.js';
import { type Column, describeMachine, formatMiB, formatNumber, formatPercent, printTable, writeResults } from '../report.js';
import { measureRounds } from '../rounds.js';
import { type RssGrowth, describeRss, rssBarLine, rssColumns, watchRss } from '../rss.js';
import { median, perUnit, printRatioBars, summarize, summaryColumns } from '../summary.js';
import { Pool, request } from 'undici';
import { MiB, chunkSize, limits, paths, patternChunk } from './common.js';
import { DownloadReader, type LoadOptions, type Scenario, type TransferResult, scenarios, transfer } from './load.js';

const here = import.meta.dirname;
const root = resolve(here, '../..');

const servers = rawAgainstMarshal('raw node:http (+ busboy)');

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
const order = serverOrder(values.servers!, servers, 'marshal-server.ts');
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

const runLoad = (options: LoadOptions) => runLoadGenerator(join(here, 'load.ts'), options, { pin: values.pin!, cwd: root });

const width = Math.max(...order.map((name) => name.length));
const label = (scenario: Scenario) => (scenario === 'multipart' ? `multipart (${sizes.multipart / MiB} MiB file)` : `${scenario} (${sizes[scenario] / MiB} MiB)`);
/** Server CPU seconds per GB moved. */
const cpuPerGB = (m: TransferResult) => perUnit(m.serverCpu, m.bytes, 1e9);
/** Server minor page faults per GB moved, in thousands. */
const faultsPerGB = (m: TransferResult) => perUnit(m.serverFaults, m.bytes, 1e6);

console.log(
  `files: ${chosen.map((s) => `${label(s)} × ${transfers[s]} per turn`).join(', ')}\n` +
    (rounds > 0 ? `${rounds} rounds; per round, scenario and server: 1 transfer of warm-up + ${turns} turns, rotating through ${order.join(', ')}; ` : 'no throughput rounds; ') +
    `${connections} keep-alive connection${connections > 1 ? 's' : ''} per server (uploads: undici; downloads: a socket reader)${values.pin ? '; servers on CPU 1, load on CPU 0' : ''}` +
    `${memorySize > 0 ? `; then RSS during a ${memorySize / MiB} MiB upload and download per server` : ''}` +
    `${trimThreshold === undefined ? '' : `; servers with glibc malloc trim_threshold ${trimThreshold / MiB} MiB`}`,
);
console.log(`${describeMachine()}\n`);

const started = Date.now();
const measurements = await measureRounds({
  rounds,
  servers: order,
  start: (name) => startServer(name, true),
  verify,
  measure: async (targets) => JSON.parse(await runLoad({ targets, scenarios: chosen, sizes, transfers, turns, connections })) as TransferResult[],
  report: (result) => {
    const cpu = result.serverCpu === undefined ? '' : `  server CPU ${formatPercent(result.serverCpu, result.seconds)} = ${formatNumber(cpuPerGB(result), 2)} s/GB, ${formatNumber(faultsPerGB(result), 1)}k faults/GB`;
    console.log(
      `round ${result.round}  ${label(result.scenario).padEnd(26)} ${result.name.padEnd(width)}  ${formatNumber(result.mbps).padStart(6)} MB/s` +
        `  (turns ${result.turnMbps.map((m) => formatNumber(m)).join(', ')})${cpu}  load CPU ${formatPercent(result.loadCpu, result.seconds)}`,
    );
  },
});
const throughputSeconds = (Date.now() - started) / 1000;

// Summary: medians over rounds, and medians of the per-round ratios against raw.
const summary = chosen.flatMap((scenario) => {
  const ofScenario = measurements.filter((m) => m.scenario === scenario);
  return summarize(ofScenario, order, { rate: (m) => m.mbps, cpuPerUnit: cpuPerGB }).map((s) => ({
    scenario,
    label: serverOf(s.server)!.label,
    ...s,
    medianFaultsPerGB: median(ofScenario.filter((m) => m.name === s.server).map(faultsPerGB)),
  }));
});

type SummaryRow = (typeof summary)[number];

if (rounds > 0) {
  printTable(
    [
      { title: 'scenario', cell: (s) => label(s.scenario) },
      ...summaryColumns<SummaryRow>({ rate: 'MB/s', cpu: 's/GB', cpuDigits: 3 }),
      { title: 'server page faults/GB', numeric: true, cell: (s) => `${formatNumber(s.medianFaultsPerGB, 1)}k` },
    ],
    summary,
  );
  printRatioBars(summary, () => 0.9);
  console.log(`(throughput rounds took ${formatNumber(throughputSeconds)} s)`);
}

// Memory: fresh servers, one watched transfer up and one down each.
interface MemoryResult extends RssGrowth {
  readonly server: string;
  readonly scenario: 'upload' | 'download';
  readonly seconds: number;
}
const memory: MemoryResult[] = [];

async function watch(server: Running, scenario: 'upload' | 'download'): Promise<MemoryResult> {
  const pid = server.child.pid!;
  const { result: seconds, ...rss } = await watchRss(pid, async () => {
    const start = Date.now();
    await runLoad({
      targets: [{ name: server.name, url: server.url, pid }],
      scenarios: [scenario],
      sizes: { ...sizes, [scenario]: memorySize },
      transfers,
      turns: 1,
      connections: 1,
      memory: scenario,
    });
    return (Date.now() - start) / 1000;
  });
  return { server: server.name, scenario, ...rss, seconds };
}

if (memorySize > 0) {
  console.log(
    `\nRSS during one ${memorySize / MiB} MiB transfer (a fresh server process for each; baseline after the answer checks; ` +
      'peak of VmRSS sampled every 20 ms and of VmHWM):',
  );
  for (const name of order) {
    for (const scenario of ['upload', 'download'] as const) {
      const result = await withServers([name], (fresh) => startServer(fresh, false), async ([server]) => {
        await verify(server);
        return watch(server, scenario);
      });
      memory.push(result);
      console.log(
        `  ${name.padEnd(width)}  ${scenario.padEnd(8)}  ${describeRss(result)}  ` +
          `(${formatNumber(result.seconds, 1)} s with the load generator's start, ${result.samples} samples)`,
      );
    }
  }
  const watched = (name: string, scenario: 'upload' | 'download') => memory.find((m) => m.server === name && m.scenario === scenario)!;
  const columns: Column<string>[] = [
    { title: 'server', cell: (name) => serverOf(name)!.label },
    ...rssColumns(`${formatMiB(memorySize)} upload`, (name: string) => watched(name, 'upload')),
    ...rssColumns(`${formatMiB(memorySize)} download`, (name: string) => watched(name, 'download')),
  ];
  printTable(columns, order);
  for (const m of memory) if (m.server !== 'raw') console.log(rssBarLine(`${m.server} ${m.scenario}`, m));
}
console.log(`(whole run: ${formatNumber((Date.now() - started) / 1000)} s)`);

if (values.json) writeResults(values.json, { options: values, measurements, summary, memory });
