import { afterAll, beforeAll } from 'vitest';
import { Server, type ServerOptions } from '@marshal/server';

/** Starts a real server on a free loopback port for the tests of one file, and stops it after them. */
export function serveForTests(options: ServerOptions): { readonly url: string; readonly server: Server } {
  const state = { url: '', server: undefined as unknown as Server };
  beforeAll(async () => {
    state.server = await new Server(options).start();
    state.url = state.server.url;
  });
  afterAll(async () => {
    await state.server?.stop();
  });
  return state;
}
