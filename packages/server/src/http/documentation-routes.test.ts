import { describe, expect, it } from 'vitest';
import { Int, endpoint, openApiDocument, service, serviceModelOf, unimplemented } from '@marshal/core/internal';
import { serveForTests } from '../../../../test/helpers/serve.js';
import { buildDocumentationRoutes } from './documentation-routes.js';

@service()
class ICounter {
  @endpoint({ params: [['by', Int]], returns: Int })
  add(by: number): Promise<number> { return unimplemented(); }
}

class Counter extends ICounter {
  override async add(by: number) {
    return by;
  }
}

const models = [serviceModelOf(ICounter)];

describe('buildDocumentationRoutes', () => {
  const served = serveForTests({ services: [new Counter()], documentation: { title: 'Counter', version: '3.0.0' } });

  it('serves the OpenAPI document of the services, with the given title and version', async () => {
    const answer = await fetch(`${served.url}/openapi.json`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const servers = [{ url: '.', description: 'where this document is served' }];
    expect(await answer.json()).toEqual(openApiDocument(models, { title: 'Counter', version: '3.0.0', servers }));
  });

  it('serves the HTML page under a policy that lets it load nothing else', async () => {
    const answer = await fetch(`${served.url}/docs`);
    const text = await answer.text();
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(Number(answer.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(text).toContain('<title>Counter</title>');
    expect(text).toContain('/counter/add/&lt;by&gt;');
  });

  it('answers HEAD without a body, and leaves other methods and paths to the caller', async () => {
    const head = await fetch(`${served.url}/docs`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${served.url}/docs`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${served.url}/docs/`)).status).toBe(404);
  });

  it('builds nothing when documentation is off, and both documents by default', () => {
    expect(buildDocumentationRoutes(models, false).size).toBe(0);
    expect([...buildDocumentationRoutes(models).keys()]).toEqual(['/openapi.json', '/docs']);
  });
});
