/**
 * A page on another site makes "simple" cross-site POSTs, which a browser sends without a
 * preflight (text/plain, a form): the call must not run on a server whose CORS policy does not
 * allow the page's origin, and must run on one that does. A counter on each server tells.
 *
 * Needs Chromium, like cors.test.ts.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Int, endpoint, service, unimplemented } from '@marshal/core';
import { Server } from '@marshal/server';
import { chromiumPath, openInChromium } from './chromium.js';
import { reportingPage } from './reporting-page.js';

const chromium = chromiumPath();
const required = process.env.MARSHAL_BROWSER_TESTS === 'required';

@service({ name: 'counter' })
class ICounter {
  @endpoint({ params: [['by', Int]], returns: Int })
  add(by: number): Promise<number> { return unimplemented(); }
}

class Counter extends ICounter {
  value = 0;
  override async add(by: number) { return (this.value += by); }
}

/** Each server gets a text/plain POST and a form POST, with `no-cors` as a forged form would. */
function pageScript(targets: readonly string[]): string {
  return `
const sent = [];
for (const base of ${JSON.stringify(targets)}) {
  for (const [type, body] of [['text/plain', '{}'], ['application/x-www-form-urlencoded', 'by=1']]) {
    try {
      await fetch(base + '/counter/add/1', { method: 'POST', mode: 'no-cors', headers: { 'content-type': type }, body });
      sent.push('sent');
    } catch (error) {
      sent.push(error.name);
    }
  }
}
await fetch('/report', { method: 'POST', body: JSON.stringify(sent) });
`;
}

describe.skipIf(chromium === undefined && !required)('simple cross-site POSTs from a page, in Chromium', () => {
  const refusingCounter = new Counter();
  const allowingCounter = new Counter();
  let page: ReturnType<typeof reportingPage>;
  let pageOrigin = '';
  let refusing: Server;
  let allowing: Server;

  beforeAll(async () => {
    page = reportingPage(() => pageScript([refusing.url, allowing.url]));
    await new Promise<void>((resolve) => page.http.listen(0, '127.0.0.1', resolve));
    pageOrigin = `http://127.0.0.1:${(page.http.address() as AddressInfo).port}`;
    // Same host, other ports: another origin of the same site, which a browser marks same-site.
    refusing = await new Server({ services: [refusingCounter] }).start();
    allowing = await new Server({ services: [allowingCounter], cors: { origin: [pageOrigin] } }).start();
  });

  afterAll(async () => {
    await Promise.all([refusing?.stop(), allowing?.stop(), new Promise((resolve) => page?.http.close(resolve))]);
  });

  it('do not run where CORS does not allow the page, and run where it does', async () => {
    expect(chromium, 'no Chromium: install Debian package chromium, or set MARSHAL_CHROMIUM').toBeDefined();
    const browser = openInChromium(chromium!, `${pageOrigin}/`);
    const exited = new Promise<never>((_, reject) => browser.process.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before the page reported`))));
    try {
      // Opaque answers: the page cannot tell a refusal from a success, only the servers can.
      expect(await Promise.race([page.report, exited])).toEqual(['sent', 'sent', 'sent', 'sent']);
      expect({ refused: refusingCounter.value, allowed: allowingCounter.value }).toEqual({ refused: 0, allowed: 2 });
    } finally {
      await browser.close();
    }
  }, 60_000);
});
