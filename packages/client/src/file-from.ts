import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';

/**
 * A file on disk as a file argument (Node only; from `@marshal/client`): a Blob of the file that
 * is read from disk only while a call sends it, so a file of any size is never held in memory.
 * It takes the file's size now (a `Bytes` parameter's body goes with its Content-Length), and it
 * cannot be read once the file changes after this call. Rejects at once, with the path, when
 * there is no file at `path` (ENOENT) or it is not a regular file.
 *
 *   await api.single_file(await fileFrom('./report.pdf'));
 */
export async function fileFrom(path: string | URL): Promise<Blob> {
  const info = await stat(path);
  if (!info.isFile()) throw Object.assign(new Error(`not a regular file: ${String(path)}`), { code: 'EISDIR', path: String(path) });
  return openAsBlob(path);
}
