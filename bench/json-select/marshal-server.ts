/**
 * (c) Marshal: a Server hosting the example MyService (examples/my-service), with its defaults.
 */
import { Server } from '@marshal/server';
import { MyService } from '../../examples/my-service/my-service.js';
import { announce } from './select.js';

const server = await new Server({ services: [new MyService()], port: 0, host: '127.0.0.1' }).start();
announce(server.port, () => void server.stop().then(() => process.exit(0)));
