// Copies the status page's HTML and CSS next to the compiled server code (tsc copies only
// what it compiles). Run by `npm run build` and by the Dockerfile, after both tsc passes.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const from = join(import.meta.dirname, '..', 'src', 'web');
const to = join(process.argv[2] ?? join(import.meta.dirname, '..', 'dist'), 'src', 'web');
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) {
  if (name.endsWith('.html') || name.endsWith('.css')) copyFileSync(join(from, name), join(to, name));
}
