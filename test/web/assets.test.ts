import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillTemplate, loadWebAssets } from '../../src/web/assets.js';

describe('fillTemplate', () => {
  it('fills every placeholder once, leaving braces inside values alone', () => {
    expect(fillTemplate('<p>{{a}} and {{b}}</p>', { a: '{{b}}', b: 'x' })).toBe('<p>{{b}} and x</p>');
  });

  it('throws on a placeholder without a value rather than ship a broken page', () => {
    expect(() => fillTemplate('{{missing}}', {})).toThrow(/missing/);
  });
});

describe('loadWebAssets', () => {
  it('transpiles the browser modules when run from source: plain JavaScript, imports kept', async () => {
    const assets = await loadWebAssets();
    const main = assets.get('main.js')!.body.toString('utf8');
    expect(main).toContain("from './keys.js'");
    expect(main).not.toMatch(/\bimport type\b|: HTMLSelectElement/);
    expect(assets.get('types.js')).toBeDefined();
    expect(assets.get('uPlot.iife.min.js')!.contentType).toMatch(/^text\/javascript/);
    expect(assets.link('status.css')).toMatch(/^status\.css\?v=[\w-]{10}$/);
    expect(assets.template('status.html')).toContain('{{keyRows}}');
  });

  it('serves the compiled modules as they are when the build put them there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd2a-web-'));
    mkdirSync(join(dir, 'browser'));
    for (const f of ['status.css', 'sign-in.css', 'status.html', 'sign-page.html', 'sign-in-form.html', 'sign-out-form.html']) writeFileSync(join(dir, f), f);
    writeFileSync(join(dir, 'browser', 'main.js'), 'export const built = 1;\n');
    writeFileSync(join(dir, 'browser', 'main.ts'), 'export const fromSource: number = 2;\n');
    const assets = await loadWebAssets(dir);
    expect(assets.get('main.js')!.body.toString('utf8')).toBe('export const built = 1;\n');
    expect(assets.get('main.ts')).toBeUndefined();
    expect(assets.get('status.css')!.etag).not.toBe(assets.get('sign-in.css')!.etag);
  });
});
