import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collect } from '../../src/dialects/collect.js';
import type { DialectId, IrEvent, WriteContext } from '../../src/dialects/ir.js';
import { DIALECTS } from '../../src/dialects/registry.js';
import { convertStream } from '../../src/pipeline/client-stream.js';
import { watchPassthrough } from '../../src/pipeline/passthrough-watch.js';
import { UpstreamReader, upstreamEvents } from '../../src/pipeline/upstream-events.js';
import { UpstreamBody } from '../../src/upstream/upstream-body.js';
import { seededRandom } from '../support/fakes.js';

/**
 * Golden conversions (STYLE.md, "Tests are specifications"): every upstream stream in
 * test/fixtures/<upstream>/<case>.sse (the providers' documented formats, captured from
 * test/fake-factory) goes through the pipeline to every other client dialect, and the
 * client's bytes must equal test/golden/<upstream>--<client>/<case>.sse; the whole answer,
 * collected for a client that did not ask to stream, must equal <case>.json (or, for a
 * stream that breaks off, the error the pipeline fails with). The goldens are written from
 * one read per event; each stream is also fed whole, split at every byte and in seeded
 * random chunks, and no output may depend on where the upstream's reads fall. Same dialect on both sides is a pass-through:
 * the client gets the upstream's bytes unchanged. `UPDATE_GOLDEN=1` rewrites the goldens;
 * review the diff.
 */

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(here, '../fixtures');
const GOLDEN = join(here, '../golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const IDS: DialectId[] = ['anthropic', 'openai-responses', 'openai-chat', 'google'];

function context(client: DialectId): WriteContext {
  let n = 0;
  return {
    id: `gw_${client}_1`,
    model: 'client-model',
    created: 1_700_000_000,
    includeUsage: true,
    newId: (prefix) => `${prefix}gw${++n}`,
    tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
  };
}

const body = (reads: Buffer[]) => UpstreamBody.of(reads);

/** What a stream whose error arrived while it was still held comes to: the attempt fails over, the client gets nothing from it. */
const FAILED_OVER = 'failed over';

/** One read per SSE event, as upstreams usually deliver them: the reads the goldens are written from. */
function perEvent(bytes: Buffer): Buffer[] {
  return bytes
    .toString('utf8')
    .split(/(?<=\n\r?\n)/)
    .map((event) => Buffer.from(event));
}

/** Upstream bytes → the client dialect's SSE, the way the pipeline sends a converted stream. */
async function convertedText(reads: Buffer[], upstream: DialectId, client: DialectId): Promise<string> {
  const reader = new UpstreamReader(DIALECTS[upstream].createStreamParser());
  const converted = await convertStream(body(reads), reader, DIALECTS[client].createStreamWriter(context(client)), () => undefined);
  if ('error' in converted) return FAILED_OVER;
  let text = '';
  for await (const part of converted.chunks) text += part;
  return text;
}

/** Upstream bytes → the whole answer in the client's dialect (a client that did not ask to stream). */
async function convertWhole(reads: Buffer[], upstream: DialectId, client: DialectId): Promise<string> {
  const events: IrEvent[] = [];
  for await (const batch of upstreamEvents(body(reads), DIALECTS[upstream].createStreamParser(), () => undefined)) events.push(...batch);
  const error = events.find((e) => e.kind === 'error');
  const out = error?.kind === 'error' ? { error: error.error } : DIALECTS[client].writeResponse(collect(events), context(client));
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** The bytes a pass-through client gets, or undefined when the stream failed before any was sent (the pipeline fails over). */
async function passThrough(reads: Buffer[], upstream: DialectId): Promise<Buffer | undefined> {
  const watched = await watchPassthrough(body(reads), DIALECTS[upstream].createStreamParser(), () => undefined);
  if (watched.kind === 'error') return undefined;
  const parts: Buffer[] = [];
  for await (const chunk of watched.chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}


/** The ways of feeding a stream: whole, one read per event, cut once at every byte, and in random pieces of 1–64 bytes. */
function feeds(bytes: Buffer): Array<{ how: string; reads: Buffer[] }> {
  const out = [{ how: 'whole', reads: [bytes] }];
  out.push({ how: 'one read per event', reads: perEvent(bytes) });
  for (let at = 1; at < bytes.length; at++) out.push({ how: `split at byte ${at}`, reads: [bytes.subarray(0, at), bytes.subarray(at)] });
  for (const seed of [1, 2, 3]) {
    const next = seededRandom(seed);
    const reads: Buffer[] = [];
    for (let at = 0; at < bytes.length; ) {
      const size = 1 + Math.floor(next() * 64);
      reads.push(bytes.subarray(at, at + size));
      at += size;
    }
    out.push({ how: `random pieces, seed ${seed}`, reads });
  }
  return out;
}

/** Compares with the golden file, or writes it under UPDATE_GOLDEN=1. */
function golden(path: string, actual: string): void {
  if (UPDATE) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing golden ${path}: run UPDATE_GOLDEN=1 npx vitest run test/pipeline/golden.test.ts and review it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/**
 * Outputs that differ are reported by feed and first differing offset, not as two whole
 * streams. A stream that breaks off may instead fail over, when its error came in the
 * same read as the answer's first event (nothing had been sent).
 */
function sameEveryWay(results: Array<{ how: string; text: string }>, expected: string, mayFailOver: boolean): void {
  for (const { how, text } of results) {
    if (text === expected || (mayFailOver && text === FAILED_OVER)) continue;
    let i = 0;
    while (i < text.length && text[i] === expected[i]) i++;
    throw new Error(`${how}: output differs from the whole-stream output at offset ${i}: ${JSON.stringify(text.slice(i, i + 80))}`);
  }
}

for (const upstream of IDS) {
  const cases = readdirSync(join(FIXTURES, upstream)).filter((f) => f.endsWith('.sse'));
  describe(`golden: ${upstream} upstream`, () => {
    for (const file of cases) {
      const name = file.slice(0, -'.sse'.length);
      const bytes = readFileSync(join(FIXTURES, upstream, file));

      it(`${name}: a pass-through client gets every byte unchanged, however the reads fall`, async () => {
        for (const { how, reads } of feeds(bytes)) {
          const out = await passThrough(reads, upstream);
          // An error in a read the watcher still holds fails over: nothing was sent yet. Only
          // the stream that breaks off may end so; every other one reaches the client whole.
          if (out === undefined && name === 'error-mid-stream') continue;
          expect(out?.equals(bytes), how).toBe(true);
        }
        if (name === 'error-mid-stream') expect(await passThrough([bytes], upstream), 'held error fails over').toBeUndefined();
      });

      for (const client of IDS.filter((c) => c !== upstream)) {
        it(`${name}: → ${client} stream and whole answer match the goldens, however the reads fall`, async () => {
          const breaksOff = name === 'error-mid-stream';
          const stream = await convertedText(perEvent(bytes), upstream, client);
          golden(join(GOLDEN, `${upstream}--${client}`, `${name}.sse`), stream);
          const results = [];
          for (const { how, reads } of feeds(bytes)) results.push({ how, text: await convertedText(reads, upstream, client) });
          sameEveryWay(results, stream, breaksOff);
          if (breaksOff) expect(await convertedText([bytes], upstream, client), 'held error fails over').toBe(FAILED_OVER);

          const answer = await convertWhole(perEvent(bytes), upstream, client);
          golden(join(GOLDEN, `${upstream}--${client}`, `${name}.json`), answer);
          const pieces = feeds(bytes).filter((f) => f.how === 'whole' || f.how.startsWith('random'));
          const answers = [];
          for (const { how, reads } of pieces) answers.push({ how, text: await convertWhole(reads, upstream, client) });
          sameEveryWay(answers, answer, false);
        });
      }
    }
  });
}
