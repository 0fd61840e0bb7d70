/**
 * The load generator of the file benchmarks, run by run.ts in a process of its own (never in a
 * server's), once per round, against every server of the round:
 *
 *   for each scenario (upload, download, multipart):
 *     warm-up: one transfer per server, not measured;
 *     `turns` turns, each server in every turn, the order rotated by one each turn:
 *       `transfers` transfers on `connections` keep-alive connections; MB/s = bytes / wall time
 *
 * Uploads (raw and multipart) go through undici, the body an async generator of 64 KiB pieces;
 * downloads through DownloadReader, a small HTTP/1.1 reader on a socket (see there why).
 *
 * Every answer is checked (status, content type, the count or length the server answers, the bytes
 * of a download counted); any mismatch fails the run. Prints one JSON line: a TransferResult per
 * server and scenario.
 *
 *   node --import tsx bench/files/load.ts '<LoadOptions as JSON>'
 *
 * With `memory` set in the options it makes one transfer of that scenario instead and prints
 * nothing: run.ts samples the server's RSS meanwhile.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { Pool } from 'undici';
import { type LoadTarget, cpuSeconds } from '../processes.js';
import { chunkSize, multipartHead, multipartTail, multipartType, paths, patternChunk } from './common.js';

export type Scenario = 'upload' | 'download' | 'multipart';
export const scenarios: readonly Scenario[] = ['upload', 'download', 'multipart'];

export interface LoadOptions {
  readonly targets: readonly LoadTarget[];
  readonly scenarios: readonly Scenario[];
  /** Bytes per transfer, per scenario. */
  readonly sizes: Readonly<Record<Scenario, number>>;
  /** Transfers per turn, per scenario. */
  readonly transfers: Readonly<Record<Scenario, number>>;
  readonly turns: number;
  /** Transfers at once, each on a keep-alive connection of its own. */
  readonly connections: number;
  /** One transfer of this scenario against the first target, nothing measured (run.ts samples RSS). */
  readonly memory?: Scenario;
}

export interface TransferResult {
  readonly name: string;
  readonly scenario: Scenario;
  readonly transfers: number;
  readonly bytes: number;
  readonly seconds: number;
  /** 10^6 bytes per second, over every measured turn. */
  readonly mbps: number;
  /** MB/s of each turn. */
  readonly turnMbps: readonly number[];
  /** CPU seconds used by the server / by this load generator while this server was measured. */
  readonly serverCpu: number | undefined;
  readonly loadCpu: number;
  /** Minor page faults of the server while measured: memory handed back to the OS and touched again. */
  readonly serverFaults: number | undefined;
}

/** Minor page faults of a process so far (/proc/<pid>/stat, field 10); undefined without /proc. */
export function minorFaults(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
  } catch {
    return undefined;
  }
}

/** `size` bytes of the pattern in pieces of 64 KiB, after `head` and before `tail` when given. */
async function* pieces(size: number, head?: Buffer, tail?: Buffer): AsyncGenerator<Buffer> {
  if (head) yield head;
  for (let sent = 0; sent < size; sent += chunkSize) yield size - sent >= chunkSize ? patternChunk : patternChunk.subarray(0, size - sent);
  if (tail) yield tail;
}

/**
 * undici sends an async iterable body as it is (each piece written as it comes, with backpressure);
 * its types list only Readable, so the generator is passed as one rather than wrapped in a stream.
 */
function streamed(body: AsyncIterable<Buffer>): Readable {
  return body as unknown as Readable;
}

class WrongAnswer extends Error {}

async function expectCount(scenario: Scenario, statusCode: number, headers: Record<string, string | string[] | undefined>, body: { text(): Promise<string> }, size: number): Promise<void> {
  const text = await body.text();
  const type = String(headers['content-type'] ?? '');
  if (statusCode !== 200 || !type.startsWith('application/json') || text !== String(size)) {
    throw new WrongAnswer(`${scenario}: expected 200 application/json ${size}, got ${statusCode} ${type} ${text.slice(0, 300)}`);
  }
}

/** One transfer; resolves once its answer has been read and checked. */
export async function transfer(pool: Pool, scenario: Scenario, size: number): Promise<void> {
  switch (scenario) {
    case 'upload': {
      const { statusCode, headers, body } = await pool.request({
        path: paths.upload,
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
        body: streamed(pieces(size)),
      });
      return expectCount(scenario, statusCode, headers, body, size);
    }
    case 'multipart': {
      const { statusCode, headers, body } = await pool.request({
        path: paths.multipart,
        method: 'POST',
        headers: { 'content-type': multipartType, 'content-length': String(multipartHead.length + size + multipartTail.length) },
        body: streamed(pieces(size, multipartHead, multipartTail)),
      });
      return expectCount(scenario, statusCode, headers, body, size);
    }
    case 'download': {
      const { statusCode, headers, body } = await pool.request({ path: paths.download(size), method: 'GET' });
      const type = String(headers['content-type'] ?? '');
      if (statusCode !== 200 || type !== 'application/octet-stream') {
        throw new WrongAnswer(`download: expected 200 application/octet-stream, got ${statusCode} ${type} ${(await body.text()).slice(0, 300)}`);
      }
      let count = 0;
      for await (const chunk of body) count += (chunk as Buffer).length;
      if (count !== size) throw new WrongAnswer(`download: expected ${size} bytes, got ${count}`);
      return;
    }
  }
}

/**
 * Downloads for the measured turns: a GET on a keep-alive socket of its own, the answer read by a
 * small HTTP/1.1 reader that checks the status line and headers, follows the chunked framing (or a
 * Content-Length) and counts the body's bytes without copying them, reading into one buffer of its
 * own. undici and node:http's client spent 2–4× the server's CPU per byte here (≈ 1.3–2.8 s/GB
 * against ≈ 0.6), so the client, not the server, set the pace; this one spends ≈ 0.4 s/GB, most
 * of it in the kernel.
 */
export class DownloadReader {
  readonly #socket: Socket;
  #failure: Error | undefined;
  #onData: ((chunk: Buffer) => void) | undefined;
  #onEnd: ((error: Error) => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('error', (error) => (this.#failure = error));
    socket.on('close', () => {
      this.#onEnd?.(this.#failure ?? new Error('download: the server closed the connection'));
    });
  }

  static async open(url: string): Promise<DownloadReader> {
    const { hostname, port } = new URL(url);
    let reader: DownloadReader | undefined;
    // Reads go into one buffer of our own, handed to the reader as they come: no Buffer per read,
    // no stream machinery (with 'data' events this client spent 3× the CPU per byte).
    const readBuffer = Buffer.allocUnsafe(256 * 1024);
    const socket = connect({
      port: Number(port),
      host: hostname,
      onread: {
        buffer: readBuffer,
        callback: (length: number) => {
          reader!.#onData?.(readBuffer.subarray(0, length));
          return true;
        },
      },
    });
    reader = new DownloadReader(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return reader;
  }

  close(): void {
    this.#socket.destroy();
  }

  /** GET the download of `size` bytes; resolves once its last byte has been read and counted. */
  get(size: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const fail = (error: Error): void => {
        this.#onData = this.#onEnd = undefined;
        this.#socket.destroy();
        reject(error);
      };
      let head = '';
      let chunked = false;
      let length = -1;
      let count = 0;
      // In a chunked body: bytes of the current chunk still to come, then where we are in its framing.
      let left = 0;
      let state: 'head' | 'size' | 'data' | 'data-crlf' | 'trailer' = 'head';
      let line = '';
      const finish = (): void => {
        this.#onData = this.#onEnd = undefined;
        if (count !== size) return fail(new WrongAnswer(`download: expected ${size} bytes, got ${count}`));
        resolve();
      };
      this.#onEnd = fail;
      this.#onData = (chunk: Buffer) => {
        let at = 0;
        if (state === 'head') {
          head += chunk.toString('latin1');
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) {
            if (head.length > 16384) fail(new WrongAnswer('download: no end of the headers after 16 KiB'));
            return;
          }
          const lines = head.slice(0, end).split('\r\n');
          const fields = new Map(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
          if (!/^HTTP\/1\.1 200 /.test(lines[0]) || fields.get('content-type') !== 'application/octet-stream') {
            return fail(new WrongAnswer(`download: expected 200 application/octet-stream, got ${lines[0]} ${fields.get('content-type')}`));
          }
          chunked = fields.get('transfer-encoding')?.toLowerCase() === 'chunked';
          length = chunked ? -1 : Number(fields.get('content-length') ?? -1);
          if (!chunked && length < 0) return fail(new WrongAnswer('download: neither chunked nor a Content-Length'));
          // latin1: one character per byte, so offsets in `head` are byte offsets.
          at = end + 4 - (head.length - chunk.length);
          head = '';
          state = chunked ? 'size' : 'data';
          left = chunked ? 0 : length;
          if (!chunked && left === 0) return finish();
        }
        while (at < chunk.length) {
          if (state === 'data') {
            const take = Math.min(left, chunk.length - at);
            count += take;
            left -= take;
            at += take;
            if (left === 0) {
              if (!chunked) return at === chunk.length ? finish() : fail(new WrongAnswer('download: bytes after the body'));
              state = 'data-crlf';
              line = '';
            }
            continue;
          }
          // A framing line: the chunk size, the CRLF after a chunk's data, or the (empty) trailer.
          const newline = chunk.indexOf(10, at);
          const end = newline < 0 ? chunk.length : newline + 1;
          line += chunk.toString('latin1', at, end);
          at = end;
          if (newline < 0) {
            if (line.length > 1024) return fail(new WrongAnswer('download: a chunk-size line longer than 1 KiB'));
            continue;
          }
          if (!line.endsWith('\r\n')) return fail(new WrongAnswer('download: a framing line without CRLF'));
          const text = line.slice(0, -2);
          line = '';
          if (state === 'data-crlf') {
            if (text !== '') return fail(new WrongAnswer('download: no CRLF after a chunk'));
            state = 'size';
          } else if (state === 'size') {
            const chunkSize = Number.parseInt(text.split(';')[0], 16);
            if (!Number.isSafeInteger(chunkSize) || chunkSize < 0) return fail(new WrongAnswer(`download: a bad chunk size ${JSON.stringify(text)}`));
            if (chunkSize === 0) state = 'trailer';
            else {
              left = chunkSize;
              state = 'data';
            }
          } else if (text === '') {
            return at === chunk.length ? finish() : fail(new WrongAnswer('download: bytes after the body'));
          }
        }
      };
      this.#socket.write(`GET ${paths.download(size)} HTTP/1.1\r\nhost: ${this.#socket.remoteAddress}:${this.#socket.remotePort}\r\n\r\n`);
    });
  }
}

/** `count` transfers, `connections` at a time: downloads each on a DownloadReader of its own, opened for this turn. */
async function transfers(url: string, pool: Pool, scenario: Scenario, size: number, count: number, connections: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    const reader = scenario === 'download' ? await DownloadReader.open(url) : undefined;
    try {
      while (next < count) {
        next++;
        if (reader) await reader.get(size);
        else await transfer(pool, scenario, size);
      }
    } finally {
      reader?.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(connections, count) }, worker));
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2]!) as LoadOptions;
  const pools = options.targets.map((target) => new Pool(target.url, { connections: options.connections, pipelining: 1 }));
  try {
    if (options.memory !== undefined) {
      await transfers(options.targets[0].url, pools[0], options.memory, options.sizes[options.memory], 1, 1);
      return;
    }
    const results: TransferResult[] = [];
    for (const scenario of options.scenarios) {
      const size = options.sizes[scenario];
      const count = options.transfers[scenario];
      const tallies = options.targets.map(() => ({ bytes: 0, seconds: 0, turnMbps: [] as number[], serverCpu: 0 as number | undefined, loadCpu: 0, serverFaults: 0 as number | undefined }));
      for (const [index, pool] of pools.entries()) await transfers(options.targets[index].url, pool, scenario, size, Math.min(count, options.connections), options.connections);
      for (let turn = 0; turn < options.turns; turn++) {
        // Each turn starts one server further: every server takes every place equally often.
        for (let step = 0; step < options.targets.length; step++) {
          const index = (turn + step) % options.targets.length;
          const tally = tallies[index];
          const cpuBefore = cpuSeconds(options.targets[index].pid);
          const faultsBefore = minorFaults(options.targets[index].pid);
          const loadBefore = process.cpuUsage();
          const start = process.hrtime.bigint();
          await transfers(options.targets[index].url, pools[index], scenario, size, count, options.connections);
          const seconds = Number(process.hrtime.bigint() - start) / 1e9;
          const load = process.cpuUsage(loadBefore);
          const cpuAfter = cpuSeconds(options.targets[index].pid);
          const faultsAfter = minorFaults(options.targets[index].pid);
          tally.bytes += size * count;
          tally.seconds += seconds;
          tally.turnMbps.push((size * count) / seconds / 1e6);
          tally.serverCpu = cpuBefore === undefined || cpuAfter === undefined || tally.serverCpu === undefined ? undefined : tally.serverCpu + cpuAfter - cpuBefore;
          tally.loadCpu += (load.user + load.system) / 1e6;
          tally.serverFaults = faultsBefore === undefined || faultsAfter === undefined || tally.serverFaults === undefined ? undefined : tally.serverFaults + faultsAfter - faultsBefore;
        }
      }
      options.targets.forEach((target, index) => {
        const tally = tallies[index];
        results.push({ name: target.name, scenario, transfers: count * options.turns, ...tally, mbps: tally.bytes / tally.seconds / 1e6 });
      });
    }
    process.stdout.write(`${JSON.stringify(results)}\n`);
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

// Only when run as the load process (run.ts imports the types and transfer() for its checks).
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error instanceof WrongAnswer ? `bench: ${error.message}` : error);
    process.exit(1);
  });
}
