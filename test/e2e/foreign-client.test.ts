/**
 * A client written in Python from docs/protocol.md alone (test/foreign-client, standard library
 * only) calls every example service on a real server: the protocol is enough to write one. It
 * sends files raw, chunked and as multipart, streams an upload, reads streamed bytes, lines,
 * JSON lines and Server-Sent Events, and tells a stream cut off by a failure from a whole one
 * (against the streams that fail of file-fault-service.ts, served beside the examples). Over
 * WebSocket, on its own RFC 6455 client (rfc6455.py), it calls the streaming examples with the
 * frames of section 14, duplex included, and reads error frames and close codes.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exampleServices } from '../../examples/services.js';
import { FileFaults } from '../helpers/file-fault-service.js';
import { serveForTests } from '../helpers/serve.js';

const script = fileURLToPath(new URL('../foreign-client/run_examples.py', import.meta.url));

describe('a Python client written from docs/protocol.md', () => {
  const served = serveForTests({ services: [...exampleServices(), new FileFaults()] });

  it('calls every example service and sees the documented answers and errors', async () => {
    const { stdout } = await promisify(execFile)('python3', [script, served.url, '--faults'], { encoding: 'utf8' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('ALL CHECKS PASSED');
    expect(stdout).toMatch(/my-service/);
    const passed = (label: string) => expect(lines, label).toContain(`ok   ${label}`);
    // The reference's four seed calls, and the streams of the file service.
    passed('file-service json_only: a JSON body');
    passed('file-service single_file: the raw file, with a length');
    passed('file-service single_file: the raw file, chunked');
    passed('file-service json_and_file: multipart with json_arguments and the file');
    passed('file-service download_file: the bytes, in pieces as they come');
    passed('file-service count_bytes: a streamed upload of unknown length');
    passed('file-service text_lines: lines');
    passed('file-service text_lines: Server-Sent Events');
    passed('file-service token_stream: JSON lines');
    passed('file-service token_stream: Server-Sent Events');
    // How a failed stream ends.
    for (const endpoint of ['failing-lines', 'failing-bytes', 'failing-items']) {
      passed(`file-faults ${endpoint}: failing before the first item is a 500`);
      passed(`file-faults ${endpoint}: failing after the first item is a cut stream`);
    }
    passed('file-faults failing-lines: as Server-Sent Events, an error event');
    passed('file-faults failing-items: as Server-Sent Events, an error event');
    // Over WebSocket, on a client of RFC 6455 in the standard library: the reference's streaming
    // service, a stream out while a stream comes in, streams of values in, and error frames.
    passed('streaming-service binary_chunks: binary frames of three bytes');
    passed('streaming-service text_lines: item frames');
    passed('streaming-service token_stream: item frames of DTOs');
    passed('streaming-service text_lines: an args frame in three fragments');
    passed('transcriber transcribe: each word comes back while the audio still arrives');
    passed('transcriber transcribe_file: a file in 64 KiB binary frames, one result frame');
    passed('value-streams echo: items in, items out as they come');
    passed('value-streams sum: a stream of values in, a result frame out');
    passed('websocket error: a bad argument is an error frame, then close 1008');
    passed('websocket error: the implementation refuses, close 1008');
    passed('websocket error: a text frame that is not JSON, close 1007');
    passed('websocket error: an unknown route is refused at the handshake with 404');
    passed('websocket error: a plain HTTP request to a WebSocket endpoint is a 426');
  });
});
