import { connect } from 'node:net';
import { parseStreamedAnswers } from './raw-stream.js';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Sends bytes over a fresh TCP connection, reads until the server closes it (or `untilAnswers`
 * answers have fully arrived), and splits what came into HTTP answers. For requests no HTTP
 * client library would send.
 */
export function rawExchange(url: string, bytes: string | Buffer, untilAnswers = Infinity): Promise<RawAnswer[]> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    const finish = () => {
      socket.destroy();
      resolve(parseAnswers(received));
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (parseAnswers(received).length >= untilAnswers) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? finish() : reject(error)));
    socket.write(bytes);
  });
}

/** The complete answers, in order, with their bodies as text; a cut-off one is left out. */
export function parseAnswers(bytes: Buffer): RawAnswer[] {
  return parseStreamedAnswers(bytes)
    .filter((answer) => answer.complete)
    .map(({ status, headers, body }) => ({ status, headers, body: body.toString('utf8') }));
}
