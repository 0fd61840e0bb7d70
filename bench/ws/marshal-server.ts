/**
 * Marshal's Server hosting the benchmark contract (contract.ts), with its defaults. For
 * `--servers marshal@DIR` the bundle takes @marshal/server from DIR/index.ts (server-bundle.ts).
 */
import { Server } from '@marshal/server';
import { WsBench } from './contract.js';
import { announce } from './wire.js';

const server = await new Server({ services: [new WsBench()], port: 0, host: '127.0.0.1' }).start();
announce(server.port, () => void server.stop().then(() => process.exit(0)));
