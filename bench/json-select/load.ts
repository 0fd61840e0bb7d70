/**
 * The load generator, run by run.ts in its own process (never in a server's process):
 * a warm-up run whose numbers are thrown away, then the measured run. Prints one JSON line.
 *
 *   node --import tsx load.ts '{"url":"…","body":"…","connections":10,…}'
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadOptions {
  readonly url: string;
  readonly body: string;
  readonly expectBody: string | undefined;
  readonly connections: number;
  readonly pipelining: number;
  readonly warmup: number;
  readonly duration: number;
  /** The server's pid, to read how much CPU it used during the measured run (Linux /proc). */
  readonly serverPid: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly latencyP50: number;
  readonly latencyP99: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly mismatches: number;
  readonly resets: number;
  /** CPU seconds used by the server / by this load generator during the measured run. */
  readonly serverCpu: number | undefined;
  readonly loadCpu: number;
}

const options = JSON.parse(process.argv[2]!) as LoadOptions;

function fire(duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: options.body,
    connections: options.connections,
    pipelining: options.pipelining,
    duration,
    // Checks every response body; a wrong one counts as a mismatch.
    ...(options.expectBody === undefined ? {} : { expectBody: options.expectBody }),
  });
}

/** utime + stime of a process, in seconds; undefined where /proc is not available. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

const warm = await fire(options.warmup);
const serverCpuStart = cpuSeconds(options.serverPid);
const loadCpuStart = process.cpuUsage();
const result = await fire(options.duration);
const loadCpu = process.cpuUsage(loadCpuStart);
const serverCpuEnd = cpuSeconds(options.serverPid);

const report: LoadResult = {
  requests: result.requests.total,
  seconds: result.duration,
  rps: result.requests.total / result.duration,
  latencyP50: result.latency.p50,
  latencyP99: result.latency.p99,
  non2xx: result.non2xx + warm.non2xx,
  errors: result.errors + warm.errors,
  timeouts: result.timeouts + warm.timeouts,
  mismatches: result.mismatches + warm.mismatches,
  resets: result.resets + warm.resets,
  serverCpu: serverCpuStart === undefined || serverCpuEnd === undefined ? undefined : serverCpuEnd - serverCpuStart,
  loadCpu: (loadCpu.user + loadCpu.system) / 1e6,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
