/**
 * The calls of the WebSocket benchmarks as they travel (docs/protocol.md section 14): the same URLs
 * and the same frames for Marshal serving contract.ts and for the hand-written ws server of
 * raw-server.ts, so that one load generator drives both.
 *
 * | call | URL | client sends | server sends |
 * | --- | --- | --- | --- |
 * | items | /ws-bench/items/<count> | args | stream, `count` item frames, end |
 * | download | /ws-bench/download/<size> | args | stream, binary frames of 64 KiB, end |
 * | upload | /ws-bench/upload | args, stream "data", binary frames, end | result (the byte count) |
 * | ping | /ws-bench/ping | args {"text": …} | result (the text) |
 * | echo | /ws-bench/echo | args, stream "data", binary frames, end | stream, each binary frame back, end |
 */
export { MiB, announce, chunkSize, patternChunk } from '../files/common.js';

/** The URLs of the calls; items and download take their count or size as the last path segment. */
export const paths = {
  items: '/ws-bench/items/',
  download: '/ws-bench/download/',
  upload: '/ws-bench/upload',
  ping: '/ws-bench/ping',
  echo: '/ws-bench/echo',
} as const;

/** The name of the stream parameter of upload and echo. */
export const streamName = 'data';

export const frames = {
  /** The `args` frame of a call without JSON parameters. */
  args: '{"type":"args"}',
  pingArgs: (text: string) => JSON.stringify({ type: 'args', json: { text } }),
  /** The client's announcement of its stream parameter. */
  streamParameter: JSON.stringify({ type: 'stream', name: streamName }),
  /** The server's announcement of a streamed result. */
  stream: '{"type":"stream"}',
  end: '{"type":"end"}',
  result: (value: string | number) => JSON.stringify({ type: 'result', value }),
  item: (index: number) => JSON.stringify({ type: 'item', value: item(index) }),
} as const;

/** Words of a token stream: the items are small DTOs, as a model's output would be. */
const words = ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'a', 'lazy', 'dog', 'again'];

/** The item at `index` of an items stream, the JSON form of contract.ts's Item. */
export function item(index: number): { text: string; index: number } {
  return { text: words[index % words.length], index };
}

/** The text of every ping call. */
export const pingText = 'hello';

/** The largest message either server takes: Marshal's default wsMessageLimit. */
export const messageLimit = 1024 * 1024;

/**
 * Senders stop queueing frames once this much is waiting for the socket, and go on when the last
 * one queued has been written: the kernel's socket buffer still holds plenty then.
 */
export const highWaterMark = 64 * 1024;
