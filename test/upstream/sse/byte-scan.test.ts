import { describe, expect, it } from 'vitest';
import { byteWords, endsWithBlankLine, mentionsAny } from '../../../src/upstream/sse/byte-scan.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('endsWithBlankLine', () => {
  it.each([
    ['data: x\n\n', true],
    ['data: x\r\n\r\n', true],
    ['data: x\n', false],
    ['data: x\r\n', false],
    ['\n', false],
    ['data: x\n\ndata: y', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(endsWithBlankLine(bytes(text))).toBe(expected);
  });
});

describe('mentionsAny', () => {
  const words = byteWords('usage', '"error"');

  it('finds a word in a Buffer and in a plain Uint8Array view at an offset', () => {
    expect(mentionsAny(Buffer.from('data: {"usage":{}}\n\n'), words)).toBe(true);
    const view = bytes('xxxx data: {"error":{}}\n\n').subarray(5);
    expect(mentionsAny(view, words)).toBe(true);
  });

  it('finds nothing where neither word is whole, multi-byte text included', () => {
    expect(mentionsAny(bytes('data: {"text":"usag e, error, Grüße 👋"}\n\n'), words)).toBe(false);
    expect(mentionsAny(bytes('xxusage').subarray(0, 6), words)).toBe(false);
  });
});
