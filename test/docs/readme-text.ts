import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** What the documentation tests read out of a README. */
export const READMES = ['README.md', 'README.zh-CN.md'] as const;

export function readDoc(root: string, file: string): string {
  return readFileSync(join(root, file), 'utf8');
}

/** Every SHOUTY_SNAKE word (an environment variable or a look-alike), plus the bare names given. */
export function variableWords(text: string, bare: Iterable<string>): Set<string> {
  const words = new Set(text.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? []);
  for (const name of bare) if (new RegExp(`\\b${name}\\b`).test(text)) words.add(name);
  return words;
}

/** Paths of the gateway's own surface named in code spans, with their method when given. */
export function routeMentions(text: string): Set<string> {
  const found = new Set<string>();
  const spans = text.match(/`[^`\n]+`/g) ?? [];
  for (const span of spans) {
    const m = /^`(?:(GET|POST|DELETE) )?(\/(?:v1|v1beta|status|metrics|healthz|readyz|admin)?[^`\s]*)`$/.exec(span);
    if (m) found.add(m[1] ? `${m[1]} ${m[2]}` : (m[2] as string));
  }
  return found;
}

/** `METHOD /path` mentions only: the ones a request can be sent to. */
export function methodRoutes(text: string): Array<{ method: string; path: string }> {
  return [...routeMentions(text)].flatMap((r) => {
    const [method, path] = r.split(' ');
    return path ? [{ method: method as string, path }] : [];
  });
}

type Schema = z.ZodType;

function unwrap(schema: Schema): Schema {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) s = s.unwrap() as Schema;
    else if (s instanceof z.ZodPipe) s = s.in as Schema;
    else return s;
  }
}

/** config.json's fields: each top-level name with the names inside it (objects and arrays of objects). */
export function configFields(schema: z.ZodObject): Array<{ field: string; inner: string[] }> {
  return Object.entries(schema.shape).map(([field, value]) => {
    let s = unwrap(value as Schema);
    if (s instanceof z.ZodArray) s = unwrap(s.element as Schema);
    return { field, inner: s instanceof z.ZodObject ? Object.keys(s.shape) : [] };
  });
}

/** Placeholders such as `<your key>` may be translated; whitespace may wrap differently. */
const normalise = (code: string) => code.replace(/<[^>\n]*>/g, '<…>').replace(/\s+/g, ' ').trim();

/** The lines of every fenced block, without comments (which are translated). */
export function fencedCode(text: string): string[] {
  const blocks = text.match(/^```[^\n]*\n[\s\S]*?^```/gm) ?? [];
  return blocks.flatMap((b) => b.split('\n').map((line) => normalise(line.replace(/(^|\s)#.*$/, ''))).filter(Boolean));
}

/** Every inline code span outside the fenced blocks. */
export function inlineCode(text: string): Set<string> {
  const prose = text.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  return new Set((prose.match(/`[^`]+`/g) ?? []).map(normalise));
}

/** How the document is built: sections, subsections, table rows, fenced blocks. */
export function shape(text: string): Record<string, number> {
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  return { sections: count(/^## /gm), subsections: count(/^### /gm), tableRows: count(/^\|/gm), fences: count(/^```/gm) };
}
