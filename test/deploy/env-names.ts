import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SECRET_FILE_VARIABLES, SECRET_VARIABLES } from '../../src/config/secret-files.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * The environment variables the gateway reads, found in its code: `env.NAME`, `env?.NAME`,
 * `env['NAME']`, a name passed as a string right after the environment (`flag(env, 'NAME')`),
 * and the secrets with their `<NAME>_FILE` forms (read through `env[name]`).
 */
export function envNamesReadByCode(root: string): Set<string> {
  const names = new Set<string>([...SECRET_VARIABLES, ...SECRET_FILE_VARIABLES]);
  const patterns = [/\benv\??\.([A-Z][A-Z0-9_]+)\b/g, /\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g, /\benv, ['"]([A-Z][A-Z0-9_]+)['"]/g];
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const re of patterns) for (const m of text.matchAll(re)) names.add(m[1] as string);
  }
  return names;
}

/** Variables of the operating system the gateway reads but nobody sets for it. */
export const SYSTEM_VARIABLES = new Set(['HOME']);
