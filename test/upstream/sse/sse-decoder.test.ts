import { describe, expect, it } from 'vitest';
import type { SseEvent } from '../../../src/dialects/dialect.js';
import { formatSse } from '../../../src/upstream/sse/format.js';
import { LineDecoder } from '../../../src/upstream/sse/line-decoder.js';
import { decodeSse } from '../../../src/upstream/sse/sse-decoder.js';

const enc = new TextEncoder();

async function decodeChunks(chunks: Uint8Array[]): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  async function* src() {
    yield* chunks;
  }
  for await (const ev of decodeSse(src())) out.push(ev);
  return out;
}

function splitAt(bytes: Uint8Array, positions: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of positions) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

describe('LineDecoder', () => {
  it('ends lines at LF, CR and CRLF', () => {
    const d = new LineDecoder();
    expect(d.decode(enc.encode('a\nb\rc\r\nd'))).toEqual(['a', 'b', 'c']);
    expect(d.flush()).toEqual(['d']);
  });

  it('treats a CR at the end of one chunk and an LF at the start of the next as one line end', () => {
    const d = new LineDecoder();
    expect(d.decode(enc.encode('one\r'))).toEqual(['one']);
    expect(d.decode(enc.encode('\ntwo\r\n'))).toEqual(['two']);
    expect(d.flush()).toEqual([]);
  });

  it('keeps an empty line between two CRLFs split across chunks', () => {
    const d = new LineDecoder();
    expect([...d.decode(enc.encode('x\r')), ...d.decode(enc.encode('\n\r')), ...d.decode(enc.encode('\n'))]).toEqual(['x', '']);
  });

  it('ends a line at a CR that closes a chunk when the next chunk starts with something else', () => {
    const d = new LineDecoder();
    expect(d.decode(enc.encode('a\r'))).toEqual(['a']);
    expect(d.decode(enc.encode('b\n'))).toEqual(['b']);
  });

  it('joins one line cut into many chunks, a multi-byte character split between two of them', () => {
    const bytes = enc.encode('data: ' + 'ab'.repeat(500) + '👋🏽 end\n');
    const emoji = bytes.indexOf(0xf0);
    const d = new LineDecoder();
    const lines = splitAt(bytes, [3, 100, 500, emoji + 1, emoji + 3, emoji + 6]).flatMap((c) => d.decode(c));
    expect(lines).toEqual(['data: ' + 'ab'.repeat(500) + '👋🏽 end']);
  });

  it('strips a byte order mark only at the start of the stream', () => {
    const d = new LineDecoder();
    expect(d.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0a, 0xef, 0xbb, 0xbf, 0x62, 0x0a]))).toEqual(['a', '\ufeffb']);
  });

  it('ends with a replacement character for a character the stream cut off', () => {
    const d = new LineDecoder();
    expect(d.decode(enc.encode('abc').slice(0, 3))).toEqual([]);
    expect(d.decode(new Uint8Array([0xe4, 0xbd]))).toEqual([]);
    expect(d.flush()).toEqual(['abc\ufffd']);
  });
});

describe('decodeSse', () => {
  const text = 'event: message_start\ndata: {"t":"你好, мир 👋🏽"}\n\n: comment\ndata: a\ndata:b\n\nid: 7\ndata: last';

  it('parses events, comments, multi-line data and an unterminated last event', async () => {
    const events = await decodeChunks([enc.encode(text)]);
    expect(events).toEqual([
      { event: 'message_start', data: '{"t":"你好, мир 👋🏽"}' },
      { data: 'a\nb' },
      { data: 'last', id: '7' },
    ]);
  });

  it('gives identical events when the stream is split at every byte, multi-byte characters included', async () => {
    const bytes = enc.encode(text);
    const whole = await decodeChunks([bytes]);
    for (let i = 1; i < bytes.length; i++) {
      expect(await decodeChunks(splitAt(bytes, [i]))).toEqual(whole);
    }
    const single = await decodeChunks(Array.from(bytes, (b) => Uint8Array.of(b)));
    expect(single).toEqual(whole);
    expect(JSON.stringify(single)).not.toContain('\uFFFD');
  });

  it('reads CRLF-framed streams (Gemini alt=sse) the same as LF ones', async () => {
    const lf = await decodeChunks([enc.encode(text + '\n\n')]);
    const crlf = await decodeChunks([enc.encode((text + '\n\n').replaceAll('\n', '\r\n'))]);
    expect(crlf).toEqual(lf);
  });
});

describe('formatSse', () => {
  it('renders event, id and one data line per line of data, ending with a blank line', () => {
    expect(formatSse({ event: 'ping', data: '{}' })).toBe('event: ping\ndata: {}\n\n');
    expect(formatSse({ data: 'a\nb', id: '1' })).toBe('id: 1\ndata: a\ndata: b\n\n');
  });

  it('round-trips through the decoder', async () => {
    const events: SseEvent[] = [{ event: 'x', data: 'line1\nline2' }, { data: '[DONE]' }];
    const bytes = enc.encode(events.map(formatSse).join(''));
    expect(await decodeChunks([bytes])).toEqual(events);
  });
});
