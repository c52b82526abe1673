/**
 * `npm run docs:models`: writes the model table from config.json into README.md and
 * README.zh-CN.md (between their markers). `npm run docs:models -- --check` changes nothing
 * and exits 1 naming each README that differs, for CI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConfig } from '../src/config/load.js';
import { MODEL_TABLE_DOCUMENTS, renderModelTable, replaceModelTable } from './docs-models-table.js';

const root = process.cwd();
const check = process.argv.includes('--check');
const configPath = resolve(root, 'config.json');
const config = parseConfig(JSON.parse(readFileSync(configPath, 'utf8')), configPath);

let stale = 0;
for (const { file, lang } of MODEL_TABLE_DOCUMENTS) {
  const path = resolve(root, file);
  const current = readFileSync(path, 'utf8');
  let wanted: string;
  try {
    wanted = replaceModelTable(current, renderModelTable(config, lang), file);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    stale++;
    continue;
  }
  if (wanted === current) continue;
  if (check) {
    stale++;
    process.stderr.write(`${file}: the model table differs from config.json; run npm run docs:models\n`);
  } else {
    writeFileSync(path, wanted);
    process.stdout.write(`${file}: model table written\n`);
  }
}
if (stale > 0) process.exitCode = 1;
