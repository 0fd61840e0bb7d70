/**
 * Marshal's Server hosting the benchmark contract (contract.ts), with its defaults (fileLimit 64 MiB).
 * For `--servers marshal@DIR` the bundle takes @marshal/server from DIR/index.ts (server-bundle.ts).
 */
import { Server } from '@marshal/server';
import { announce } from './common.js';
import { FileBench } from './contract.js';

const server = await new Server({ services: [new FileBench()], port: 0, host: '127.0.0.1' }).start();
announce(server.port, () => void server.stop().then(() => process.exit(0)));
