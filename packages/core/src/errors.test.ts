/** docs/errors.md and errorTable describe the same codes with the same statuses. */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorTable, type ErrorCode } from './errors.js';

const docsDir = new URL('../../../docs/', import.meta.url);
const doc = readFileSync(new URL('errors.md', docsDir), 'utf8');
const codes = Object.keys(errorTable) as ErrorCode[];
const anchorPattern = /<a id="([^"]+)"><\/a>/g;

/** The text from a code's anchor to the next anchor. */
function sectionOf(code: string): string {
  const start = doc.indexOf(`<a id="${code}"></a>`);
  if (start < 0) return '';
  const next = doc.indexOf('<a id="', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
}

describe('docs/errors.md', () => {
  it.each(codes)('has a section for %s with its status and an example body', (code) => {
    const section = sectionOf(code);
    expect(section, `no <a id="${code}"></a> in docs/errors.md`).not.toBe('');
    expect(section).toContain(`## ${code}\n`);
    expect(section).toMatch(new RegExp(`\\*\\*Status:\\*\\* ${errorTable[code].status} `));
    expect(section).toMatch(/\*\*When:\*\* \S/);
    expect(section).toContain(`"code": "${code}"`);
  });

  it('has no anchor or code that the table lacks, and the sections in the order of the table', () => {
    const anchors = [...doc.matchAll(anchorPattern)].map((match) => match[1]);
    expect(anchors).toEqual(codes);
    const mentioned = new Set(doc.match(/MARSHAL_ERR_[A-Z_]+/g));
    expect([...mentioned].filter((code) => !Object.hasOwn(errorTable, code))).toEqual([]);
  });

  it('is the target of links that exist: every errors.md#… link in docs/ names an anchor', () => {
    const anchors = new Set([...doc.matchAll(anchorPattern)].map((match) => match[1]));
    for (const file of readdirSync(docsDir).filter((name) => name.endsWith('.md'))) {
      const text = readFileSync(new URL(file, docsDir), 'utf8');
      const pattern = file === 'errors.md' ? /\]\(#([^)]+)\)/g : /errors\.md#([^)\s]+)/g;
      for (const [, target] of text.matchAll(pattern)) {
        expect(anchors.has(target), `${file} links to errors.md#${target}`).toBe(true);
      }
    }
  });
});
