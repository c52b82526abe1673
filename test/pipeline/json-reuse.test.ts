import { describe, expect, it } from 'vitest';
import type { WireObject } from '../../src/dialects/dialect.js';
import { stringifyReusing, topLevelSpans } from '../../src/pipeline/json-reuse.js';
import { seededRandom } from '../support/fakes.js';

/** Strings that trip a JSON scanner: quotes, runs of backslashes, braces, escapes, non-BMP text. */
const AWKWARD = ['', 'plain', 'say "hi"', 'C:\\path\\', '\\\\"', '{"model":"x"}', '[1,2]}', 'é€👋', '\u0000\u001f', 'line\nbreak\ttab', '\\u0041', '\ud800'];

function value(rand: () => number, depth: number): unknown {
  const pick = rand();
  if (depth > 3 || pick < 0.35) {
    const s = rand();
    if (s < 0.5) return AWKWARD[Math.floor(rand() * AWKWARD.length)]! + (rand() < 0.2 ? 'x'.repeat(200) : '');
    if (s < 0.7) return Math.floor(rand() * 1e6) / (rand() < 0.5 ? 1 : 1000) - 500;
    if (s < 0.8) return rand() < 0.5;
    return null;
  }
  if (pick < 0.65) return Array.from({ length: Math.floor(rand() * 4) }, () => value(rand, depth + 1));
  return object(rand, depth + 1);
}

function object(rand: () => number, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = Math.floor(rand() * 5);
  for (let i = 0; i < n; i++) out[AWKWARD[Math.floor(rand() * AWKWARD.length)]! + String(i)] = value(rand, depth);
  return out;
}

/** JSON text with whitespace wherever JSON allows it, as a pretty-printing client might send. */
function spaced(v: unknown, rand: () => number): string {
  const ws = () => [' ', '\n', '\t', '\r\n  ', ''][Math.floor(rand() * 5)]!;
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => spaced(x, rand)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (v !== null && typeof v === 'object') {
    return `{${ws()}${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}${ws()}:${ws()}${spaced(x, rand)}`).join(`${ws()},${ws()}`)}${ws()}}`;
  }
  return JSON.stringify(v);
}

describe('stringifyReusing', () => {
  it('means what JSON.stringify(out) means, over 2,000 random bodies and random edits', () => {
    const rand = seededRandom(42);
    for (let n = 0; n < 2000; n++) {
      const source = object(rand, 0);
      source.model = 'sonnet-alias';
      source.messages = [{ role: 'user', content: AWKWARD[n % AWKWARD.length] }];
      const text = rand() < 0.5 ? JSON.stringify(source) : spaced(source, rand);
      const parsed = JSON.parse(text) as WireObject;
      // Edits as the policies make them: copies with members replaced, added, dropped or set undefined.
      const out: WireObject = { ...parsed };
      const keys = Object.keys(parsed);
      for (const key of keys) {
        const r = rand();
        if (r < 0.15) out[key] = value(rand, 1);
        else if (r < 0.2) delete out[key];
        else if (r < 0.23) out[key] = undefined;
      }
      if (rand() < 0.5) out.model = 'claude-sonnet-4-6';
      if (rand() < 0.3) out.system = [{ type: 'text', text: 'You are Droid.' }];
      const json = stringifyReusing(out, parsed, text);
      expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(out)));
      expect(Object.keys(JSON.parse(json) as object)).toEqual(Object.keys(JSON.parse(JSON.stringify(out)) as object));
    }
  });

  it('copies unchanged members from the client’s text, spelling included, and serialises only the changed ones', () => {
    const text = '{ "model" : "alias", "max_tokens": 1e3, "messages": [ {"role":"user","content":"caf\\u00e9 \\"q\\""} ], "n": 12345678901234567890 }';
    const parsed = JSON.parse(text) as WireObject;
    const out = { ...parsed, model: 'claude-sonnet-4-6', stream: true };
    expect(stringifyReusing(out, parsed, text)).toBe(
      '{"model":"claude-sonnet-4-6","max_tokens":1e3,"messages":[ {"role":"user","content":"caf\\u00e9 \\"q\\""} ],"n":12345678901234567890,"stream":true}',
    );
  });

  it('a duplicated key: the last one, as JSON.parse reads it', () => {
    const text = '{"a":1,"a":{"b":2}}';
    const parsed = JSON.parse(text) as WireObject;
    expect(stringifyReusing({ ...parsed }, parsed, text)).toBe('{"a":{"b":2}}');
  });

  it('a key spelled with escapes is found under its decoded name', () => {
    const text = '{"mo\\u0064el":"m","x\\"y":[1]}';
    const parsed = JSON.parse(text) as WireObject;
    expect([...topLevelSpans(text).keys()]).toEqual(['model', 'x"y']);
    expect(stringifyReusing({ ...parsed }, parsed, text)).toBe('{"model":"m","x\\"y":[1]}');
  });

  it('text that is not an object: JSON.stringify of out', () => {
    const out = { model: 'm' };
    expect(stringifyReusing(out, { model: 'm' }, '[1,2]')).toBe('{"model":"m"}');
    expect(() => topLevelSpans('{"a":')).toThrow(SyntaxError);
  });
});
