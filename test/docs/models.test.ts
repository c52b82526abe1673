import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { MODEL_TABLE_DOCUMENTS, MODELS_END, MODELS_START, renderModelTable, replaceModelTable } from '../../scripts/docs-models-table.js';

/** The model table in both READMEs is config.json's, as `npm run docs:models` writes it. */
const ROOT = process.cwd();
const configPath = join(ROOT, 'config.json');
const config = parseConfig(JSON.parse(readFileSync(configPath, 'utf8')), configPath);

function between(document: string): string {
  const start = document.indexOf(MODELS_START);
  const end = document.indexOf(MODELS_END);
  expect(start, 'model table start marker').toBeGreaterThanOrEqual(0);
  expect(end, 'model table end marker').toBeGreaterThan(start);
  return document.slice(start + MODELS_START.length, end).trim();
}

describe('README model tables', () => {
  for (const { file, lang } of MODEL_TABLE_DOCUMENTS) {
    it(`${file} lists exactly config.json's models, redirects and thinking forms (npm run docs:models rewrites it)`, () => {
      const document = readFileSync(join(ROOT, file), 'utf8');
      expect(between(document), `${file} differs from config.json: run npm run docs:models`).toBe(renderModelTable(config, lang));
    });
  }

  it('names every model id once, with its upstream type and the thinking form its type takes', () => {
    const table = renderModelTable(config, 'en');
    for (const m of config.models) {
      const row = table.split('\n').find((line) => line.startsWith(`| \`${m.id}\``));
      expect(row, m.id).toBeDefined();
      expect(row).toContain(`| ${m.type} (`);
    }
    expect(table).toMatch(/\| `claude-opus-4-7` .*adaptive only/);
    expect(table).toMatch(/\| `claude-haiku-4-5-20251001` .*budget/);
    expect(table).toMatch(/\| `gpt-5\.2` .*`reasoning\.effort`/);
    expect(table).toMatch(/\| `gemini-3-flash-preview` .*`thinkingLevel`/);
  });

  it('a changed config.json makes a different table, so the README check fails on drift', () => {
    const changed = { ...config, models: [...config.models, { ...config.models[0]!, id: 'claude-opus-9-9', name: 'New' }] };
    const document = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(replaceModelTable(document, renderModelTable(changed, 'en'), 'README.md')).not.toBe(document);
    expect(() => replaceModelTable('no markers here', 'x', 'doc.md')).toThrow(/markers are missing/);
  });
});
