import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file the gateway serves under /status/assets/. */
export interface WebAsset {
  body: Buffer;
  contentType: string;
  /** A strong validator from the content: a changed file gets a new one, the browser revalidates. */
  etag: string;
}

export interface WebAssets {
  /** A served file by its name (`status.css`, `main.js`, `uPlot.iife.min.js`…). */
  get(name: string): WebAsset | undefined;
  /** `name?v=<content hash>`: a page's link to an asset, so a new build is never read from an old cache. */
  link(name: string): string;
  /** A server-side template (`status.html`). */
  template(name: string): string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Where this module lives: src/web when run from source, dist/src/web when built. */
const HERE = dirname(fileURLToPath(import.meta.url));

function asset(name: string, body: Buffer): WebAsset {
  const type = TYPES[extname(name)];
  if (!type) throw new Error(`no content type for web asset ${name}`);
  return { body, contentType: type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/**
 * The browser modules as JavaScript. The build compiles them (src/web/browser/tsconfig.json)
 * next to this module; run from source (tests, `tsx`), they are transpiled here once with the
 * TypeScript compiler, a dev dependency that a built image never needs.
 */
async function browserModules(dir: string): Promise<Map<string, Buffer>> {
  const files = readdirSync(dir);
  const compiled = files.filter((f) => f.endsWith('.js'));
  const out = new Map<string, Buffer>();
  if (compiled.length > 0) {
    for (const f of compiled) out.set(f, readFileSync(join(dir, f)));
    return out;
  }
  const { default: ts } = await import('typescript');
  for (const f of files.filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))) {
    const js = ts.transpileModule(readFileSync(join(dir, f), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: f,
    }).outputText;
    out.set(f.replace(/\.ts$/, '.js'), Buffer.from(js));
  }
  return out;
}

/** uPlot's own built files, from the installed package (no CDN). */
function uplotFiles(): Map<string, Buffer> {
  const dist = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
  return new Map(['uPlot.iife.min.js', 'uPlot.min.css'].map((f) => [f, readFileSync(join(dist, f))]));
}

/** Reads every asset once; the caller keeps the result for the life of its server. */
export async function loadWebAssets(dir: string = HERE): Promise<WebAssets> {
  const served = new Map<string, WebAsset>();
  const add = (files: Map<string, Buffer>) => {
    for (const [name, body] of files) served.set(name, asset(name, body));
  };
  add(new Map(['status.css', 'sign-in.css'].map((f) => [f, readFileSync(join(dir, f))])));
  add(await browserModules(join(dir, 'browser')));
  add(uplotFiles());
  const templates = new Map(['status.html', 'sign-page.html', 'sign-in-form.html', 'sign-out-form.html'].map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  return {
    get: (name) => served.get(name),
    link(name) {
      const a = served.get(name);
      if (!a) throw new Error(`no web asset ${name}`);
      return `${name}?v=${a.etag.slice(1, 11)}`;
    },
    template(name) {
      const t = templates.get(name);
      if (t === undefined) throw new Error(`no web template ${name}`);
      return t;
    },
  };
}

/**
 * Fills `{{name}}` placeholders. Values are HTML the caller already escaped; a placeholder
 * without a value is a bug in the caller, so it throws rather than ship a broken page.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for {{${name}}}`);
    return v;
  });
}
