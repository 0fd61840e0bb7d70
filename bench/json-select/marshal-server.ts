/**
 * (c) Marshal: a Server hosting the example MyService (examples/my-service), with its defaults.
 *
 * For `--servers marshal@DIR` the bundle takes @marshal/server from DIR/index.ts (server-bundle.ts).
 * `--guarded`: behind bearerAuth, each call logged by logCalls through pino (buffered, to /dev/null), as a
 * production server would run; `--authenticated` and `--logged` each alone. `--context`: with
 * callContext on (AsyncLocalStorage).
 */
import * as marshal from '@marshal/server';
import pino from 'pino';
import { MyService } from '../../examples/my-service/my-service.js';
import { announce, benchToken } from './select.js';

const flags = new Set(process.argv.slice(2).filter((arg) => arg.startsWith('--')));

const logged = flags.has('--guarded') || flags.has('--logged');
const guarded = flags.has('--guarded') || flags.has('--authenticated');
const middleware = [
  ...(logged ? [marshal.logCalls(pino(pino.destination({ dest: '/dev/null', sync: false, minLength: 4096 })))] : []),
  ...(guarded ? [marshal.bearerAuth({ tokens: { [benchToken]: { id: 'bench' } } })] : []),
];
const server = await new marshal.Server({ services: [new MyService()], port: 0, host: '127.0.0.1', middleware, callContext: flags.has('--context') }).start();
announce(server.port, () => void server.stop().then(() => process.exit(0)));
