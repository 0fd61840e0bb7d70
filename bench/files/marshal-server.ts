/**
 * Marshal's Server hosting the benchmark contract (contract.ts), with its defaults (fileLimit 64 MiB).
 *
 * With an argument, Server comes from that folder's index.ts instead of @marshal/server: a saved
 * copy of packages/server/src, to compare a change against (run.ts --servers raw,marshal,marshal@DIR).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { announce } from './common.js';
import { FileBench } from './contract.js';

const from = process.argv[2];
const { Server } = (from
  ? await import(pathToFileURL(resolve(from, 'index.ts')).href)
  : await import('@marshal/server')) as typeof import('@marshal/server');

const server = await new Server({ services: [new FileBench()], port: 0, host: '127.0.0.1' }).start();
announce(server.port, () => void server.stop().then(() => process.exit(0)));
