import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES } from '../../src/config/env-vars.js';
import { configSchema } from '../../src/config/schema.js';
import { envNamesReadByCode, SYSTEM_VARIABLES } from '../deploy/env-names.js';
import { startHarness, type Harness } from '../support/harness.js';
import { configFields, fencedCode, inlineCode, methodRoutes, READMES, readDoc, routeMentions, shape, variableWords } from './readme-text.js';

/**
 * README.md and README.zh-CN.md say the same things: the same environment variables, routes
 * and config.json fields, and every variable the code reads is documented in both. Each
 * translation (the READMEs, docs/DEPLOY) has the English one's sections, tables and examples.
 */
const ROOT = process.cwd();
const docs = READMES.map((file) => ({ file, text: readDoc(ROOT, file) }));
const listed = ENVIRONMENT_VARIABLES.map((v) => v.name);
const bare = listed.filter((n) => !n.includes('_'));

describe('environment variables', () => {
  it('src/config/env-vars.ts lists exactly the variables the code reads', () => {
    const read = [...envNamesReadByCode(ROOT)].filter((n) => !SYSTEM_VARIABLES.has(n));
    for (const n of read) expect(listed, `${n} is read in src/ but missing from src/config/env-vars.ts`).toContain(n);
    for (const n of listed) expect(read, `${n} is listed in src/config/env-vars.ts but nothing in src/ reads it`).toContain(n);
    expect(new Set(listed).size, 'a variable listed twice').toBe(listed.length);
    for (const v of ENVIRONMENT_VARIABLES) expect(v.meaning.length, v.name).toBeGreaterThan(0);
  });

  for (const { file, text } of docs) {
    it(`${file} documents every variable the gateway reads`, () => {
      for (const n of listed) expect(text.includes(`\`${n}\``), `${n} is missing from ${file}`).toBe(true);
    });
  }
});

describe('routes', () => {
  it('both READMEs name the same routes', () => {
    const [en, zh] = docs.map((d) => [...routeMentions(d.text)].sort());
    expect(en!.length).toBeGreaterThan(10);
    expect(zh).toEqual(en);
  });

  describe('every METHOD /path the README names exists on the gateway', () => {
    const ADMIN = 'docs-admin-key-0123456789';
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ env: { ADMIN_KEY: ADMIN } });
    });
    afterAll(async () => h?.close());

    it('none answers the unknown-route 404 or a 405', async () => {
      const routes = methodRoutes(docs[0]!.text);
      expect(routes.length).toBeGreaterThan(5);
      for (const { method, path } of routes) {
        const url = path.replace('{model}', 'gemini-3-flash-preview').replace('{id}', 'claude-sonnet-4-6');
        const res = await fetch(`${h.url}${url}`, {
          method,
          headers: { authorization: `Bearer ${ADMIN}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
          body: method === 'POST' ? '{}' : undefined,
        });
        const body = await res.text();
        expect(res.status, `${method} ${path}`).not.toBe(405);
        expect(body, `${method} ${path}`).not.toMatch(/No route for/);
      }
    });
  });
});

describe('config.json fields', () => {
  const fields = configFields(configSchema);

  for (const { file, text } of docs) {
    it(`${file} has a row for every config.json field, naming the fields inside it`, () => {
      const rows = text.split('\n').filter((line) => line.startsWith('| `'));
      for (const { field, inner } of fields) {
        const row = rows.find((line) => line.startsWith(`| \`${field}\` |`) || line.startsWith(`| \`${field}[]\` |`));
        expect(row, `${file}: no table row for config.json's ${field}`).toBeDefined();
        for (const name of inner) expect(row, `${file}: ${field} does not name ${name}`).toMatch(new RegExp(`\\b${name}\\b`));
      }
    });
  }
});

describe('translations are complete', () => {
  const pairs = [
    ['README.md', 'README.zh-CN.md'],
    ['docs/DEPLOY.md', 'docs/DEPLOY.zh-CN.md'],
  ] as const;
  for (const [en, zh] of pairs) {
    describe(`${zh} translates ${en}`, () => {
      const [a, b] = [readDoc(ROOT, en), readDoc(ROOT, zh)];
      it('the same sections, table rows and code blocks', () => {
        expect(shape(b)).toEqual(shape(a));
      });
      it('the same commands in its code blocks (comments and placeholders aside)', () => {
        expect(fencedCode(b)).toEqual(fencedCode(a));
      });
      it('the same inline code: names, values, paths', () => {
        expect([...inlineCode(b)].sort()).toEqual([...inlineCode(a)].sort());
      });
      it('the same variables', () => {
        expect([...variableWords(b, bare)].sort()).toEqual([...variableWords(a, bare)].sort());
      });
    });
  }
});
