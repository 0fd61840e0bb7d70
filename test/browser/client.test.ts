/**
 * The client in a browser: a page script (client-page.ts) bundled by esbuild for the browser, as
 * a user's bundler would, with `@marshal/client` resolved through its `browser` export condition
 * to the fetch entry: no undici and no Node built-in may end up in the bundle. In Chromium the
 * page calls the examples, served on its own origin by createRequestListener under /rpc, and
 * reports what it got: a JSON call's result, a DTO rebuilt as its class, a 400 rebuilt as the
 * client's RemoteError.
 *
 * The bundle is checked without a browser. The page needs Chromium (.ci/run installs it): without
 * one those tests are skipped, except when MARSHAL_BROWSER_TESTS=required, where a missing browser
 * fails them.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestListener } from '@marshal/server';
import { MyService } from '../../examples/my-service/my-service.js';
import { AgentServer } from '../../examples/agent-server/agent-server.js';
import { ByteService } from './byte-service.js';
import { chromiumPath, openInChromium } from './chromium.js';

const chromium = chromiumPath();
const required = process.env.MARSHAL_BROWSER_TESTS === 'required';
const repository = fileURLToPath(new URL('../../', import.meta.url));
const clock = new Date('2026-01-27T21:20:36.000Z');

interface PageBundle {
  readonly code: string;
  /** Files in the bundle, relative to the repository. */
  readonly inputs: readonly string[];
  /** Node built-ins (`node:…`) that something in the bundle imports, with the importing file. */
  readonly nodeBuiltins: readonly string[];
}

let bundling: Promise<PageBundle> | undefined;

/**
 * Bundles the page script once, as for a browser. A `node:` import is recorded and replaced by a
 * module whose every use throws (as it would fail in a browser), so that one import does not stop
 * the page from being tried.
 */
function bundlePage(): Promise<PageBundle> {
  bundling ??= (async () => {
    const nodeBuiltins: string[] = [];
    const result = await esbuild.build({
      absWorkingDir: repository,
      entryPoints: ['test/browser/client-page.ts'],
      bundle: true,
      platform: 'browser',
      conditions: ['source', 'browser'],
      format: 'esm',
      // Browsers do not run decorators yet: esbuild lowers them for this target.
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [
        {
          name: 'record-node-builtins',
          setup(build) {
            build.onResolve({ filter: /^node:/ }, (args) => {
              nodeBuiltins.push(`${args.path} from ${args.importer.slice(repository.length)}`);
              return { path: args.path, namespace: 'node-builtin' };
            });
            build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
              contents: `const missing = () => { throw new Error(${JSON.stringify(`${args.path} is not available in a browser`)}); };
                export const createRequire = missing;
                export default new Proxy({}, { get: missing });`,
              loader: 'js',
            }));
          },
        },
      ],
    });
    return {
      code: result.outputFiles[0].text,
      inputs: Object.keys(result.metafile.inputs),
      nodeBuiltins,
    };
  })();
  return bundling;
}

describe('the client bundled for a browser', () => {
  it('takes the fetch entry of @marshal/client: no undici in the bundle', async () => {
    const { inputs, code } = await bundlePage();
    expect(inputs).toContain('packages/client/src/fetch.ts');
    expect(inputs).toContain('packages/client/src/transport/fetch-transport.ts');
    expect(inputs).not.toContain('packages/client/src/index.ts');
    expect(inputs.filter((input) => /undici/.test(input))).toEqual([]);
    expect(code).not.toMatch(/\bundici\b/);
  });

  // @marshal/serialization's class-transformer support once imported node:module, and a plain
  // browser build of @marshal/client failed with "Could not resolve node:module".
  it('imports no Node built-in', async () => {
    const { inputs, nodeBuiltins } = await bundlePage();
    expect(nodeBuiltins).toEqual([]);
    expect(inputs.filter((input) => input.startsWith('node-builtin:') || input.startsWith('node:'))).toEqual([]);
  });
});

/** What the page reports, as client-page.ts builds it. */
interface PageReport {
  readonly clientIsContract: boolean;
  readonly select: unknown;
  readonly thread: unknown;
  readonly badParameter: unknown;
  readonly bytes: unknown;
}

/**
 * One origin for everything: Marshal under /rpc, and for the paths it hands on, the page, its
 * bundled script and the report it posts. `report` settles when the report arrives, or with the
 * page's error if its script fails.
 */
function pageServer(bundle: PageBundle): { http: HttpServer; report: Promise<PageReport> } {
  let deliver!: (report: PageReport) => void;
  let fail!: (error: Error) => void;
  const report = new Promise<PageReport>((resolve, reject) => {
    deliver = resolve;
    fail = reject;
  });
  const marshal = createRequestListener({ services: [new MyService(), new AgentServer(() => clock), new ByteService()], prefix: '/rpc' });
  const http = createServer((request, response) =>
    marshal(request, response, () => {
      if (request.method === 'POST' && (request.url === '/report' || request.url === '/page-error')) {
        let text = '';
        request.setEncoding('utf8');
        request.on('data', (chunk: string) => (text += chunk));
        request.on('end', () => {
          response.end();
          if (request.url === '/report') deliver(JSON.parse(text) as PageReport);
          else fail(new Error(`the page failed: ${text}`));
        });
        return;
      }
      if (request.url === '/page.js') {
        response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        response.end(bundle.code);
        return;
      }
      if (request.url === '/') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        // A classic script first, so that an error in the module (or its failing to load) is reported too.
        response.end(`<!doctype html><title>Marshal client</title>
<script>
  const tell = (what) => fetch('/page-error', { method: 'POST', body: String(what) });
  addEventListener('error', (event) => tell(event.error?.stack ?? event.message ?? 'error loading ' + event.target?.src), true);
  addEventListener('unhandledrejection', (event) => tell(event.reason?.stack ?? event.reason));
</script>
<script type="module" src="/page.js"></script>`);
        return;
      }
      response.writeHead(404).end();
    }),
  );
  return { http, report };
}

describe.skipIf(chromium === undefined && !required)('the bundled client in Chromium, calling Marshal on the page origin', () => {
  let page: ReturnType<typeof pageServer>;
  let origin = '';
  let report: PageReport;

  beforeAll(async () => {
    expect(chromium, 'no Chromium: install Debian package chromium, or set MARSHAL_CHROMIUM').toBeDefined();
    page = pageServer(await bundlePage());
    await new Promise<void>((resolve) => page.http.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(page.http.address() as AddressInfo).port}`;
    const browser = openInChromium(chromium!, `${origin}/`);
    const exited = new Promise<never>((_, reject) => browser.process.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before the page reported`))));
    try {
      report = await Promise.race([page.report, exited]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  afterAll(async () => {
    if (page?.http.listening) {
      const closed = new Promise((resolve) => page.http.close(resolve));
      page.http.closeAllConnections();
      await closed;
    }
  });

  it('makes a JSON call with a client that is an instance of the contract', () => {
    expect(report.clientIsContract).toBe(true);
    expect(report.select).toEqual({ value: ['example 1', 'example 2'] });
  });

  it('rebuilds a DTO result as its class, with its Date and enum', () => {
    expect(report.thread).toEqual({
      value: { isThreadInfo: true, createdAtIsDate: true, createdAt: clock.toISOString(), status: 'active', participants: ['planner'] },
    });
  });

  it("rebuilds a 400 as the client's RemoteError", () => {
    expect(report.badParameter).toEqual({
      remoteError: { status: 400, code: 'MARSHAL_ERR_BAD_PARAMETER', parameter: 'drop_duplicates', call: 'POST /rpc/my-service/select/test?drop_duplicates=maybe' },
    });
  });

  it('carries bytes both ways', () => {
    expect(report.bytes).toEqual({ value: { isBlob: true, isUint8Array: true, values: [250, 3, 2, 1] } });
  });
});
