/**
 * The script of the page that client.test.ts opens in Chromium, bundled by esbuild for the browser
 * from the TypeScript sources: `@marshal/client` here must be its fetch entry (the `browser`
 * export condition). It calls the services mounted at /rpc on the page's own origin and posts
 * what it saw to /report, as plain JSON, for the test to check.
 */
import { JsonObject, endpoint, optional, service, unimplemented } from '@marshal/core';
import { RemoteError, createClient } from '@marshal/client';
import { IMyService } from '../../examples/my-service/contract.js';
import { IAgentServer } from '../../examples/agent-server/contract.js';
import { InjectRequest, ThreadInfo } from '../../examples/agent-server/models.js';
import { Blob, IByteService } from './byte-service.js';

declare const location: { readonly origin: string };

/** IMyService as an out-of-date client might have it: drop_duplicates as free text, which the server refuses. */
@service({ name: 'my-service' })
class IStaleMyService {
  @endpoint({ params: [['id', String], ['data', [JsonObject]], ['drop_duplicates', optional(String)]], returns: [String] })
  select(id: string, data: JsonObject[], drop_duplicates?: string): Promise<string[]> {
    return unimplemented();
  }
}

const base = `${location.origin}/rpc`;
const seed = [
  { id: 'test', text: 'example 1' },
  { id: 'test', text: 'example 2' },
  { id: 'test', text: 'example 1' },
  { id: 'test_1', text: 'example 3' },
];

/** What a call gave, as JSON: the value as `describe` puts it, or what was thrown. */
async function outcome<T>(call: () => Promise<T>, describe: (value: T) => unknown): Promise<unknown> {
  try {
    return { value: describe(await call()) };
  } catch (error) {
    if (error instanceof RemoteError) {
      return { remoteError: { status: error.status, code: error.code, parameter: error.parameter, call: error.call } };
    }
    return { thrown: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

const myService = createClient(IMyService, base);
const agents = createClient(IAgentServer, base);

const report = {
  clientIsContract: myService instanceof IMyService,
  select: await outcome(() => myService.select('test', seed, true), (texts) => texts),
  thread: await outcome(
    async () => {
      const reply = await agents.inject(Object.assign(new InjectRequest(), { to: 'planner', payload: { text: 'hello' } }));
      return agents.thread(reply.threadId);
    },
    (thread) => ({
      isThreadInfo: thread instanceof ThreadInfo,
      createdAtIsDate: thread.createdAt instanceof Date,
      createdAt: thread.createdAt.toISOString(),
      status: thread.status,
      participants: thread.participants,
    }),
  ),
  badParameter: await outcome(() => createClient(IStaleMyService, base).select('test', seed, 'maybe'), (texts) => texts),
  bytes: await outcome(
    () => createClient(IByteService, base).reverse(Object.assign(new Blob(), { data: new Uint8Array([1, 2, 3, 250]) })),
    (blob) => ({ isBlob: blob instanceof Blob, isUint8Array: blob.data instanceof Uint8Array, values: [...blob.data] }),
  ),
};

await fetch('/report', { method: 'POST', body: JSON.stringify(report) });
