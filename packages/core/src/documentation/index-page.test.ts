import { describe, expect, it } from 'vitest';
import { Bytes, Int, field, optional } from '@marshal/serialization/internal';
import { service } from '../decorators/service.js';
import { endpoint, websocket } from '../decorators/endpoint.js';
import { unimplemented } from '../unimplemented.js';
import { ApiDocumentation } from './api-documentation.js';
import { escapeHtml, indexPage } from './index-page.js';

class Note {
  @field(String) text!: string;
}

@service({ description: 'Notes & <b>bold</b> claims' })
class INotes {
  @endpoint({ params: [['id', String], ['limit', optional(Int)], ['note', Note]], returns: Int, description: 'Adds "a" <script>alert(1)</script> note.' })
  add(id: string, limit: number | undefined, note: Note): Promise<number> { return unimplemented(); }

  @endpoint({ params: [['file', Bytes]], returns: Int })
  upload(file: Uint8Array): Promise<number> { return unimplemented(); }

  @websocket({ params: [['topic', String]], returns: String })
  watch(topic: string): Promise<string> { return unimplemented(); }
}

const page = indexPage(ApiDocumentation.parse(INotes), { title: 'Notes <API>' });

describe('indexPage', () => {
  it('escapes every piece of text taken from contracts', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<b>');
    expect(page).toContain('<title>Notes &lt;API&gt;</title>');
    expect(page).toContain('Notes &amp; &lt;b&gt;bold&lt;/b&gt; claims');
    expect(page).toContain('Adds &quot;a&quot; &lt;script&gt;alert(1)&lt;/script&gt; note.');
  });

  it('lists each endpoint with its method, URL template and parameters, and links the OpenAPI document', () => {
    expect(page).toContain('<a href="/openapi.json">');
    expect(page).toContain('<span class="method">POST</span><code>/notes/add/&lt;id&gt;?limit=&lt;limit&gt;</code>');
    expect(page).toContain('<span class="method">WebSocket</span><code>/notes/watch/&lt;topic&gt;</code>');
    expect(page).toContain('<tr><td><code>id</code></td><td>path</td><td>yes</td><td><code>{&quot;type&quot;:&quot;string&quot;}</code></td></tr>');
    expect(page).toContain('<tr><td><code>limit</code></td><td>query</td><td>no</td><td><code>{&quot;type&quot;:&quot;integer&quot;}</code></td></tr>');
    expect(page).toContain('<tr><td><code>note</code></td><td>JSON body</td><td>yes</td>');
    expect(page).toContain('<tr><td><code>file</code></td><td>file</td><td></td><td>binary</td></tr>');
    expect(page).toContain('Types used by the JSON body');
  });

  it('loads nothing from elsewhere', () => {
    expect(page).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i);
  });
});
