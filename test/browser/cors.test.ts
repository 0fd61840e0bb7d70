/**
 * A page in a real browser calls Marshal servers on another origin with fetch: a JSON POST
 * (which makes Chromium send a preflight first) succeeds against a server whose cors option lists
 * the page's origin, the page can read a 400's body from it, and the browser refuses to hand the
 * page anything from a server without that option. The page reports what it saw to its own server.
 *
 * Needs Chromium (.ci/run installs it). Without one the file is skipped, except when
 * MARSHAL_BROWSER_TESTS=required, where a missing browser fails it.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server } from '@marshal/server';
import { MyService } from '../../examples/my-service/my-service.js';
import { chromiumPath, openInChromium } from './chromium.js';
import { reportingPage } from './reporting-page.js';

const chromium = chromiumPath();
const required = process.env.MARSHAL_BROWSER_TESTS === 'required';

/** The page's script: three cross-origin calls, then one report to where the page came from. */
function pageScript(allowing: string, refusing: string): string {
  return `
const data = JSON.stringify({ data: [{ id: 'test', text: 'example 1' }, { id: 'test', text: 'example 1' }] });
const post = (url) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: data });
const outcome = async (url) => {
  try {
    const answer = await post(url);
    return { status: answer.status, body: await answer.json() };
  } catch (error) {
    return { refused: error.name };
  }
};
const report = {
  allowed: await outcome(${JSON.stringify(`${allowing}/my-service/select/test?drop_duplicates=True`)}),
  badInput: await outcome(${JSON.stringify(`${allowing}/my-service/select/test?drop_duplicates=maybe`)}),
  notAllowed: await outcome(${JSON.stringify(`${refusing}/my-service/select/test?drop_duplicates=True`)}),
};
await fetch('/report', { method: 'POST', body: JSON.stringify(report) });
`;
}

describe.skipIf(chromium === undefined && !required)('fetch from a page on another origin, in Chromium', () => {
  let page: ReturnType<typeof reportingPage>;
  let pageOrigin = '';
  let allowing: Server;
  let refusing: Server;

  beforeAll(async () => {
    page = reportingPage(() => pageScript(allowing.url, refusing.url));
    await new Promise<void>((resolve) => page.http.listen(0, '127.0.0.1', resolve));
    pageOrigin = `http://127.0.0.1:${(page.http.address() as AddressInfo).port}`;
    allowing = await new Server({ services: [new MyService()], cors: { origin: [pageOrigin] } }).start();
    refusing = await new Server({ services: [new MyService()] }).start();
  });

  afterAll(async () => {
    await Promise.all([allowing?.stop(), refusing?.stop(), new Promise((resolve) => page?.http.close(resolve))]);
  });

  it('gets answers and error bodies where the origin is allowed, and nothing where it is not', async () => {
    expect(chromium, 'no Chromium: install Debian package chromium, or set MARSHAL_CHROMIUM').toBeDefined();
    const browser = openInChromium(chromium!, `${pageOrigin}/`);
    const exited = new Promise<never>((_, reject) => browser.process.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before the page reported`))));
    try {
      expect(await Promise.race([page.report, exited])).toEqual({
        allowed: { status: 200, body: ['example 1'] },
        badInput: { status: 400, body: expect.objectContaining({ code: 'MARSHAL_ERR_BAD_PARAMETER', parameter: 'drop_duplicates' }) },
        notAllowed: { refused: 'TypeError' },
      });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
