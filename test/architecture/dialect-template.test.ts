import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DIALECTS = join(ROOT, 'src', 'dialects');

/** The template every dialect folder follows (docs/ARCHITECTURE.md, "A dialect folder"). */
const TEMPLATE = [
  'errors.ts',
  'index.ts',
  'maps.ts',
  'policies.ts',
  'profile.ts',
  'request-in.ts',
  'request-out.ts',
  'response-in.ts',
  'response-out.ts',
  'stream-in.ts',
  'stream-out.ts',
  'usage.ts',
  'wire-request.ts',
  'wire-response.ts',
];

const folders = readdirSync(DIALECTS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => join(DIALECTS, e.name));

describe('dialect template', () => {
  it('gives every dialect folder, the test echo dialect included, the same files', () => {
    expect(folders.length).toBeGreaterThanOrEqual(4);
    for (const folder of [...folders, join(ROOT, 'test', 'dialects', 'echo')]) {
      expect({ folder, files: readdirSync(folder).sort() }).toEqual({ folder, files: TEMPLATE });
    }
  });
});
