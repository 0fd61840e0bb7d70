/** What the servers, the load generator and the runner of the file benchmarks share. */

/** Every upload and download moves in pieces of this size. */
export const chunkSize = 64 * 1024;

/** One piece of content: bytes 0…250 over and over (251 is prime, so pieces do not line up with the pattern). */
export const patternChunk: Buffer = (() => {
  const chunk = Buffer.allocUnsafe(chunkSize);
  for (let i = 0; i < chunkSize; i++) chunk[i] = i % 251;
  return chunk;
})();

export const MiB = 1024 * 1024;

/** The same paths on every server: Marshal's URLs for the contract in contract.ts. */
export const paths = {
  upload: '/file-bench/count',
  download: (size: number) => `/file-bench/download/${size}`,
  multipart: '/file-bench/form',
} as const;

/** The multipart body's boundary, and its parts before and after the file's bytes. */
export const boundary = '----marshal-bench-7d0b2c1f';
export const multipartHead = Buffer.from(
  `--${boundary}\r\n` +
    'content-disposition: form-data; name="json_arguments"\r\ncontent-type: application/json\r\n\r\n' +
    '{"name":"upload.bin"}\r\n' +
    `--${boundary}\r\n` +
    'content-disposition: form-data; name="file"; filename="upload.bin"\r\ncontent-type: application/octet-stream\r\n\r\n',
);
export const multipartTail = Buffer.from(`\r\n--${boundary}--\r\n`);
export const multipartType = `multipart/form-data; boundary=${boundary}`;

/** Limits of the raw busboy handler, the same as Marshal's defaults (packages/server/src/limits.ts). */
export const limits = { json: 1024 * 1024, file: 64 * MiB, parts: 64 } as const;

/** A server process tells the runner its port on stdout, and stops on SIGTERM/SIGINT. */
export function announce(port: number, stop: () => void): void {
  process.stdout.write(`LISTENING ${port}\n`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, stop);
}
