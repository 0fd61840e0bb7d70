/**
 * The load generator of the WebSocket benchmarks, run by run.ts in a process of its own (never in
 * a server's), once per round, against every server of the round:
 *
 *   for each scenario (items, download, upload, ping, echo):
 *     warm-up: `warmup` seconds of calls per server, not measured;
 *     `turns` turns, each server in every turn, the order rotated by one each turn:
 *       calls, `concurrency` at a time, started until `slice` seconds have passed; the turn
 *       ends when the last has closed; rate = units of the calls / the turn's wall time
 *
 * A unit is an item (items), a byte (download, upload, echo) or a call (ping). Every call is
 * checked frame by frame (calls.ts); any wrong answer fails the run. Prints one JSON line: a
 * ScenarioResult per server and scenario.
 *
 *   node --import tsx bench/ws/load.ts '<LoadOptions as JSON>'
 *
 * With `memoryEcho` set it makes one echo call of that many bytes against the first target instead
 * and prints its seconds: run.ts samples the server's RSS meanwhile.
 */
import { type LoadTarget, cpuSeconds } from '../processes.js';
import { type CallOptions, WrongAnswer, download, echo, items, ping, upload } from './calls.js';

export type Scenario = 'items' | 'download' | 'upload' | 'ping' | 'echo';
export const scenarios: readonly Scenario[] = ['items', 'download', 'upload', 'ping', 'echo'];

export interface LoadOptions {
  readonly targets: readonly LoadTarget[];
  readonly scenarios: readonly Scenario[];
  /** Items per items call. */
  readonly items: number;
  /** Bytes per download, upload and echo call. */
  readonly size: number;
  /** Calls at once, per scenario. */
  readonly concurrency: Readonly<Record<Scenario, number>>;
  readonly warmup: number;
  readonly slice: number;
  readonly turns: number;
  readonly mask: boolean;
  /** One echo of this many bytes against the first target, nothing else (run.ts samples RSS). */
  readonly memoryEcho?: number;
}

export interface ScenarioResult {
  readonly name: string;
  readonly scenario: Scenario;
  readonly calls: number;
  /** Items, bytes or calls, over every measured turn. */
  readonly units: number;
  readonly seconds: number;
  /** Units per second over every measured turn. */
  readonly rate: number;
  readonly turnRates: readonly number[];
  /** CPU seconds used by the server / by this load generator while this server was measured. */
  readonly serverCpu: number | undefined;
  readonly loadCpu: number;
}

/** Units one call of the scenario moves. */
export function unitsPerCall(scenario: Scenario, options: Pick<LoadOptions, 'items' | 'size'>): number {
  return scenario === 'items' ? options.items : scenario === 'ping' ? 1 : options.size;
}

export function callOnce(scenario: Scenario, url: string, options: Pick<LoadOptions, 'items' | 'size'>, callOptions: CallOptions): Promise<void> {
  switch (scenario) {
    case 'items':
      return items(url, options.items, callOptions);
    case 'download':
      return download(url, options.size, callOptions);
    case 'upload':
      return upload(url, options.size, callOptions);
    case 'ping':
      return ping(url, callOptions);
    case 'echo':
      return echo(url, options.size, callOptions);
  }
}

/** Calls, `concurrency` at a time, started until `seconds` have passed; resolves with how many, once all have closed. */
async function callFor(seconds: number, concurrency: number, once: () => Promise<void>): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let calls = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      calls++;
      await once();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return calls;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2]!) as LoadOptions;
  const callOptions: CallOptions = { mask: options.mask, checkBytes: false };
  if (options.memoryEcho !== undefined) {
    const start = performance.now();
    await echo(options.targets[0].url, options.memoryEcho, callOptions);
    process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - start) / 1000 })}\n`);
    return;
  }
  const results: ScenarioResult[] = [];
  for (const scenario of options.scenarios) {
    const concurrency = options.concurrency[scenario];
    const perCall = unitsPerCall(scenario, options);
    const tallies = options.targets.map(() => ({ calls: 0, units: 0, seconds: 0, turnRates: [] as number[], serverCpu: 0 as number | undefined, loadCpu: 0 }));
    for (const { url } of options.targets) await callFor(options.warmup, concurrency, () => callOnce(scenario, url, options, callOptions));
    for (let turn = 0; turn < options.turns; turn++) {
      // Each turn starts one server further: every server takes every place equally often.
      for (let step = 0; step < options.targets.length; step++) {
        const index = (turn + step) % options.targets.length;
        const { url, pid } = options.targets[index];
        const tally = tallies[index];
        const cpuBefore = cpuSeconds(pid);
        const loadBefore = process.cpuUsage();
        const start = performance.now();
        const calls = await callFor(options.slice, concurrency, () => callOnce(scenario, url, options, callOptions));
        const seconds = (performance.now() - start) / 1000;
        const load = process.cpuUsage(loadBefore);
        const cpuAfter = cpuSeconds(pid);
        tally.calls += calls;
        tally.units += calls * perCall;
        tally.seconds += seconds;
        tally.turnRates.push((calls * perCall) / seconds);
        tally.serverCpu = cpuBefore === undefined || cpuAfter === undefined || tally.serverCpu === undefined ? undefined : tally.serverCpu + cpuAfter - cpuBefore;
        tally.loadCpu += (load.user + load.system) / 1e6;
      }
    }
    options.targets.forEach((target, index) => {
      const tally = tallies[index];
      results.push({ name: target.name, scenario, ...tally, rate: tally.units / tally.seconds });
    });
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

// Only when run as the load process (run.ts imports the types and callOnce() for its checks).
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error instanceof WrongAnswer ? `bench: ${error.message}` : error);
    process.exit(1);
  });
}
