/**
 * The load generator, run by run.ts in its own process (never in a server's process), once per
 * round, against every server of the round (each already running in its own process):
 *
 *   for each pass: for each server, starting one further each pass: [warm-up, first time only] measure `slice` s
 *
 * so the servers take turns every second or so and any drift of the machine hits all of them, and
 * none is always the one measured right after a given other.
 * autocannon checks every response body (expectBody). Prints one JSON line: a LoadResult per server.
 *
 *   node --import tsx bench/json-select/load.ts '<LoadOptions as JSON>'
 */
import autocannon from 'autocannon';
import { type LoadTarget, cpuSeconds } from '../processes.js';
import { benchToken } from './select.js';

export interface LoadOptions {
  readonly targets: readonly LoadTarget[];
  readonly body: string;
  readonly expectBody: string | undefined;
  readonly connections: number;
  readonly pipelining: number;
  /** Seconds of warm-up per server, not measured. */
  readonly warmup: number;
  /** Seconds measured per server. */
  readonly duration: number;
  /** Seconds per turn; 0: one turn of `duration` per server. */
  readonly slice: number;
  /** A fixed offered load in req/s for every server (autocannon overallRate); undefined: as fast as they go. */
  readonly rate: number | undefined;
}

export interface LoadResult {
  readonly name: string;
  /** Requests of the warm-up, not counted anywhere else. */
  readonly warmupRequests: number;
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  /** req/s of each measured turn. */
  readonly sliceRps: readonly number[];
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly mismatches: number;
  /** CPU seconds used by the server / by this load generator while this server was measured. */
  readonly serverCpu: number | undefined;
  readonly loadCpu: number;
}

const options = JSON.parse(process.argv[2]!) as LoadOptions;

function fire(url: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    // Every server gets the token; only marshal-guarded reads it.
    headers: { 'content-type': 'application/json', authorization: `Bearer ${benchToken}` },
    body: options.body,
    connections: options.connections,
    pipelining: options.pipelining,
    duration: seconds,
    // Count completed requests every 100 ms, so a run ends within 100 ms of `seconds`.
    sampleInt: 100,
    ...(options.rate === undefined ? {} : { overallRate: options.rate }),
    // Compares every response body with the expected one; a wrong one counts as a mismatch.
    ...(options.expectBody === undefined ? {} : { expectBody: options.expectBody }),
  });
}

interface Tally {
  warmupRequests: number;
  requests: number;
  seconds: number;
  sliceRps: number[];
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  serverCpu: number | undefined;
  loadCpu: number;
  warm: boolean;
}

function count(tally: Tally, result: autocannon.Result): void {
  tally.non2xx += result.non2xx;
  tally.errors += result.errors;
  tally.timeouts += result.timeouts;
  tally.mismatches += result.mismatches;
}

const tallies = options.targets.map(
  (): Tally => ({ warmupRequests: 0, requests: 0, seconds: 0, sliceRps: [], non2xx: 0, errors: 0, timeouts: 0, mismatches: 0, serverCpu: 0, loadCpu: 0, warm: false }),
);
const slices = options.slice > 0 ? Math.max(1, Math.round(options.duration / options.slice)) : 1;
const sliceSeconds = options.duration / slices;

for (let slice = 0; slice < slices; slice++) {
  // Each pass starts one server further (raw, fastify, marshal; fastify, marshal, raw; …): every server
  // takes every place in the order equally often, after each of the others.
  for (let step = 0; step < options.targets.length; step++) {
    const index = (slice + step) % options.targets.length;
    const target = options.targets[index];
    const tally = tallies[index];
    const url = target.url;
    if (!tally.warm) {
      const warm = await fire(url, options.warmup);
      count(tally, warm); // errors count, requests don't
      tally.warmupRequests = warm.requests.total;
      tally.warm = true;
    }
    const cpuBefore = cpuSeconds(target.pid);
    const loadBefore = process.cpuUsage();
    const result = await fire(url, sliceSeconds);
    const load = process.cpuUsage(loadBefore);
    const cpuAfter = cpuSeconds(target.pid);
    count(tally, result);
    tally.requests += result.requests.total;
    tally.seconds += result.duration;
    tally.sliceRps.push(result.requests.total / result.duration);
    tally.serverCpu = cpuBefore === undefined || cpuAfter === undefined || tally.serverCpu === undefined ? undefined : tally.serverCpu + cpuAfter - cpuBefore;
    tally.loadCpu += (load.user + load.system) / 1e6;
  }
}

const results: LoadResult[] = options.targets.map((target, index) => {
  const { warm: _, ...tally } = tallies[index];
  return { name: target.name, ...tally, rps: tally.requests / tally.seconds };
});
process.stdout.write(`${JSON.stringify(results)}\n`);
