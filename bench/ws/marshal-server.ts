/**
 * Marshal's Server hosting the benchmark contract (contract.ts), with its defaults.
 *
 * With an argument, Server comes from that folder's index.ts instead of @marshal/server: a saved
 * copy of packages/server/src, to compare a change against (run.ts --servers raw,marshal,marshal@DIR).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WsBench } from './contract.js';
import { announce } from './wire.js';

const from = process.argv[2];
const { Server } = (from
  ? await import(pathToFileURL(resolve(from, 'index.ts')).href)
  : await import('@marshal/server')) as typeof import('@marshal/server');

const server = await new Server({ services: [new WsBench()], port: 0, host: '127.0.0.1' }).start();
announce(server.port, () => void server.stop().then(() => process.exit(0)));
