import type { WireObject } from '../dialects/dialect.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * `out` as JSON text, copying from `text` (the JSON `parsed` was read from) every top-level
 * value that `out` still shares with `parsed`; only the members the policies changed are
 * serialised again. A pass-through body is mostly history the gateway never touches (agents
 * send tens of KB), and JSON.stringify's cost grows with every KB. Same members, same
 * order and same meaning as `JSON.stringify(out)`; an unchanged value keeps the client's
 * own spelling (its number digits, its escapes). `parsed` must never have been edited in
 * place, which the policies never do: they copy.
 */
export function stringifyReusing(out: WireObject, parsed: WireObject, text: string): string {
  let spans: Map<string, number[]>;
  try {
    spans = topLevelSpans(text);
  } catch {
    return JSON.stringify(out); // not an object's text after all: nothing to reuse
  }
  let json = '{';
  for (const key of Object.keys(out)) {
    const value = out[key];
    const span = spans.get(key);
    let member: string | undefined;
    if (span !== undefined && Object.is(value, parsed[key])) {
      member = text.slice(span[0], span[1]);
    } else {
      member = JSON.stringify(value) as string | undefined;
      if (member === undefined) continue; // undefined or a function: JSON.stringify leaves the member out too
    }
    if (json.length > 1) json += ',';
    json += `${JSON.stringify(key)}:${member}`;
  }
  return `${json}}`;
}

/**
 * Where each top-level member's value lies in a JSON object's text: key → [start, end).
 * For a duplicated key the last one counts, as in JSON.parse. Strings are skipped with a
 * native search for their closing quote, so the cost follows the structure, not the bytes.
 * Throws on text that is not a JSON object.
 */
export function topLevelSpans(text: string): Map<string, number[]> {
  const spans = new Map<string, number[]>();
  let i = skipSpace(text, 0);
  expect(text, i, OPEN_BRACE);
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) return spans;
  for (;;) {
    expect(text, i, QUOTE);
    const keyEnd = stringEnd(text, i);
    const raw = text.slice(i + 1, keyEnd - 1);
    const key = raw.includes('\\') ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw;
    i = skipSpace(text, keyEnd);
    expect(text, i, COLON);
    const start = skipSpace(text, i + 1);
    const end = valueEnd(text, start);
    spans.set(key, [start, end]);
    i = skipSpace(text, end);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACE) return spans;
    expect(text, i, COMMA);
    i = skipSpace(text, i + 1);
  }
}

function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return stringEnd(text, i);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) return containerEnd(text, i);
  // A number, true, false or null: up to the next separator.
  let j = i;
  for (; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isSpace(d)) break;
  }
  if (j === i) throw new SyntaxError(`no JSON value at ${i}`);
  return j;
}

/** Just past the closing quote of the string opening at `i`. */
function stringEnd(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) throw new SyntaxError('unterminated string');
    // Escaped only by an odd run of backslashes before it.
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

function containerEnd(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) {
      j = stringEnd(text, j) - 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  throw new SyntaxError('unterminated object or array');
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function expect(text: string, i: number, code: number): void {
  if (text.charCodeAt(i) !== code) throw new SyntaxError(`expected ${String.fromCharCode(code)} at ${i}`);
}
