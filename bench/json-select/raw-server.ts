/** (a) Plain node:http; the handler is in raw-handler.ts. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handle } from './raw-handler.js';
import { announce } from './select.js';

const server = createServer(handle);
server.listen(0, '127.0.0.1', () => {
  announce((server.address() as AddressInfo).port, () => server.close(() => process.exit(0)));
});
