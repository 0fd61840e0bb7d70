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
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Running, fail, rawAgainstMarshal, runLoadGenerator, serverOrder, serverSpec, startServer as startServerProcess, withServers } from '../processes.js';
import { type Column, describeMachine, formatMiB, formatNumber, formatPercent, printTable, writeResults } from '../report.js';
import { measureRounds } from '../rounds.js';
import { type RssGrowth, describeRss, rssBarLine, rssColumns, watchRss } from '../rss.js';
import { median, perUnit, printRatioBars, summarize, summaryColumns } from '../summary.js';
import type { CallOptions } from './calls.js';
import { type LoadOptions, type Scenario, type ScenarioResult, callOnce, scenarios } from './load.js';
import { MiB, chunkSize } from './wire.js';

const here = import.meta.dirname;
const root = resolve(here, '../..');

const servers = rawAgainstMarshal('raw ws server');

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
const order = serverOrder(values.servers!, servers, 'marshal-server.ts');
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

const runLoad = (options: LoadOptions) => runLoadGenerator(join(here, 'load.ts'), options, { pin: values.pin!, cwd: root });

const width = Math.max(...order.map((name) => name.length));
const rateOf = (m: ScenarioResult) => scenarioInfo[m.scenario].perSecond(m.rate);
/** Server CPU per unit: µs per item or call, s per GB. */
const cpuPerUnit = (m: ScenarioResult) => perUnit(m.serverCpu, m.units, scenarioInfo[m.scenario].cpuPerUnit);
const concurrency: Record<Scenario, number> = { items: streams, download: streams, upload: streams, ping: clients, echo: streams };

console.log(
  `ws: ${chosen.join(', ')}; ${itemsPerCall} items per items call, ${size / MiB} MiB per download, upload and echo; ` +
    `${streams} stream call${streams > 1 ? 's' : ''} at once, ${clients} ping clients at once\n` +
    (rounds > 0 ? `${rounds} rounds; per round, scenario and server: ${warmup} s warm-up + ${turns} turns of ${slice} s, rotating through ${order.join(', ')}` : 'no throughput rounds') +
    `; client frames ${values.mask ? 'masked with random keys' : 'with a zero mask'}${values.pin ? '; servers on CPU 1, load on CPU 0' : ''}` +
    `${memorySize > 0 ? `; then RSS during a ${memorySize / MiB} MiB echo per server` : ''}`,
);
console.log(`${describeMachine()}\n`);

const started = Date.now();
const measurements = await measureRounds({
  rounds,
  servers: order,
  start: (name) => startServer(name, true),
  verify,
  measure: async (targets) =>
    JSON.parse(await runLoad({ targets, scenarios: chosen, items: itemsPerCall, size, concurrency, warmup, slice, turns, mask: values.mask! })) as ScenarioResult[],
  report: (result) => {
    const info = scenarioInfo[result.scenario];
    const cpu = result.serverCpu === undefined ? '' : `  server CPU ${formatPercent(result.serverCpu, result.seconds)} = ${formatNumber(cpuPerUnit(result), 3)} ${info.cpu}`;
    console.log(
      `round ${result.round}  ${result.scenario.padEnd(8)} ${result.name.padEnd(width)}  ${formatNumber(rateOf(result)).padStart(7)} ${info.unit}` +
        `  (turns ${result.turnRates.map((rate) => formatNumber(info.perSecond(rate))).join(', ')}; ${result.calls} calls)${cpu}  load CPU ${formatPercent(result.loadCpu, result.seconds)}`,
    );
  },
});
const throughputSeconds = (Date.now() - started) / 1000;

// Summary: medians over rounds, and medians of the per-round ratios against raw.
const summary = chosen.flatMap((scenario) => {
  const ofScenario = measurements.filter((m) => m.scenario === scenario);
  return summarize(ofScenario, order, { rate: rateOf, cpuPerUnit }).map((s) => ({
    scenario,
    label: serverOf(s.server)!.label,
    ...s,
    medianLoadCpu: median(ofScenario.filter((m) => m.name === s.server).map((m) => m.loadCpu / m.seconds)),
  }));
});

type SummaryRow = (typeof summary)[number];

if (rounds > 0) {
  const infoOf = (s: SummaryRow) => scenarioInfo[s.scenario];
  printTable(
    [
      { title: 'scenario', cell: (s) => infoOf(s).label },
      ...summaryColumns<SummaryRow>({ rate: (s) => infoOf(s).unit, cpu: (s) => infoOf(s).cpu, cpuDigits: 3 }),
      { title: 'load generator CPU', numeric: true, cell: (s) => formatPercent(s.medianLoadCpu, 1) },
    ],
    summary,
  );
  printRatioBars(summary, (s) => infoOf(s).bar);
  console.log(`(throughput rounds took ${formatNumber(throughputSeconds)} s)`);
}

// Memory: fresh servers, one watched echo each.
interface MemoryResult extends RssGrowth {
  readonly server: string;
  readonly mbps: number;
}
const memory: MemoryResult[] = [];

if (memorySize > 0) {
  console.log(`\nRSS during one ${memorySize / MiB} MiB echo (a fresh server process each; baseline after the answer checks; peak of VmRSS sampled every 20 ms and of VmHWM):`);
  for (const name of order) {
    const { seconds, ...result } = await withServers([name], (fresh) => startServer(fresh, false), async ([server]) => {
      await verify(server);
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
      const { result: output, ...rss } = await watchRss(pid, () => runLoad(options));
      const echo = JSON.parse(output) as { seconds: number };
      return { server: name, ...rss, mbps: memorySize / echo.seconds / 1e6, seconds: echo.seconds };
    });
    memory.push(result);
    console.log(`  ${name.padEnd(width)}  ${describeRss(result)}  ${formatNumber(result.mbps)} MB/s (${formatNumber(seconds, 1)} s, ${result.samples} samples)`);
  }
  const columns: Column<MemoryResult>[] = [
    { title: 'server', cell: (m) => serverOf(m.server)!.label },
    ...rssColumns(`${formatMiB(memorySize)} echo`, (m: MemoryResult) => m),
    { title: 'MB/s each way', numeric: true, cell: (m) => formatNumber(m.mbps) },
  ];
  printTable(columns, memory);
  for (const m of memory) if (m.server !== 'raw') console.log(rssBarLine(`${m.server} echo`, m));
}
console.log(`(whole run: ${formatNumber((Date.now() - started) / 1000)} s)`);

if (values.json) writeResults(values.json, { options: values, measurements, summary, memory });
