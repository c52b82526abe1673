import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectId, WriteContext } from '../../src/dialects/ir.js';
import { DIALECTS } from '../../src/dialects/registry.js';
import type { CredentialLease } from '../../src/keys/credential.js';
import { attempt } from '../../src/pipeline/attempt.js';
import { prepare } from '../../src/pipeline/prepare.js';
import type { Services } from '../../src/services.js';
import { ClientGone } from '../../src/upstream/client-gone.js';
import type { UpstreamClient } from '../../src/upstream/client.js';
import { UpstreamBody } from '../../src/upstream/upstream-body.js';
import { seededRandom } from '../support/fakes.js';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

/**
 * Golden conversions (tests are specifications): every upstream stream in
 * test/fixtures/<upstream>/<case>.sse (the providers' documented formats, captured from
 * test/fake-factory) goes through the pipeline to every other client dialect, and the
 * client's bytes must equal test/golden/<upstream>--<client>/<case>.sse; the whole answer,
 * collected for a client that did not ask to stream, must equal <case>.json (or, for a
 * stream that breaks off, the error the pipeline fails with). The goldens are written from
 * one read per event; each stream is also fed whole, split at every byte and in seeded
 * random chunks, and no output may depend on where the upstream's reads fall. Same dialect on both sides is a pass-through:
 * the client gets the upstream's bytes unchanged. `UPDATE_GOLDEN=1` rewrites the goldens;
 * review the diff.
 *
 * Each case goes through the pipeline as a request does: the client's request in its dialect
 * is `prepare`d by the gateway's services (model lookup, conversion, policies), and one
 * `attempt` calls the upstream, whose answer is the fixture's bytes in the reads given (an
 * upstream client that answers them, so every split can be fed without a socket deciding
 * where reads fall). Only the write context (ids, model name, time) is fixed by the test.
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

/** What a stream whose error arrived while it was still held comes to: the attempt fails over, the client gets nothing from it. */
const FAILED_OVER = 'failed over';

/** One read per SSE event, as upstreams usually deliver them: the reads the goldens are written from. */
function perEvent(bytes: Buffer): Buffer[] {
  return bytes
    .toString('utf8')
    .split(/(?<=\n\r?\n)/)
    .map((event) => Buffer.from(event));
}

/** The shipped config's model served by each upstream dialect. */
const MODEL: Record<DialectId, string> = {
  anthropic: MODEL_OF_TYPE.anthropic,
  'openai-responses': MODEL_OF_TYPE.openai,
  'openai-chat': MODEL_OF_TYPE.common,
  google: MODEL_OF_TYPE.google,
};

const SCHEMA = { type: 'object', properties: { city: { type: 'string' } } };

/** The client's request in its own dialect, with the fixtures' one tool. */
function clientRequest(client: DialectId, model: string, stream: boolean): { body: Record<string, unknown>; model?: string; stream?: boolean } {
  switch (client) {
    case 'anthropic':
      return { body: { model, max_tokens: 1024, stream, messages: [{ role: 'user', content: 'Hi' }], tools: [{ name: 'get_weather', description: 'Weather', input_schema: SCHEMA }] } };
    case 'openai-chat':
      return {
        body: {
          model,
          stream,
          ...(stream && { stream_options: { include_usage: true } }),
          messages: [{ role: 'user', content: 'Hi' }],
          tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: SCHEMA } }],
        },
      };
    case 'openai-responses':
      return { body: { model, stream, input: 'Hi', tools: [{ type: 'function', name: 'get_weather', description: 'Weather', parameters: SCHEMA }] } };
    case 'google':
      return { body: { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather', parameters: SCHEMA }] }] }, model, stream };
  }
}

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});

/** The gateway's services, with an upstream client that answers the fixture's reads. */
function servicesAnswering(reads: Buffer[]): Services {
  const upstream = {
    send: async () => ({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: UpstreamBody.of(reads), via: 'direct' }),
  } as unknown as UpstreamClient;
  return { ...harness.services, upstream };
}

const LEASE: CredentialLease = { authorization: 'Bearer golden', fingerprint: 'golden', report: () => ({ failover: true }), usage: () => undefined };

/** One request through `prepare` and one `attempt`: the client's stream text, its whole answer, or the failure that fails over. */
async function throughPipeline(reads: Buffer[], upstream: DialectId, client: DialectId, stream: boolean) {
  const services = servicesAnswering(reads);
  const request = clientRequest(client, MODEL[upstream], stream);
  const input = { client: DIALECTS[client], ...request, headers: {}, signal: new ClientGone() };
  const prep = prepare(services, input);
  expect(prep.upstream.id).toBe(upstream);
  return attempt(services, input, prep, LEASE, { sessionId: 's', messageId: 'm', clientSession: undefined }, () => context(client));
}

/** Upstream bytes → the client dialect's SSE (a pass-through when the dialects match), or FAILED_OVER. */
async function streamed(reads: Buffer[], upstream: DialectId, client: DialectId): Promise<Buffer | string> {
  const result = await throughPipeline(reads, upstream, client, true);
  if ('failed' in result) return FAILED_OVER;
  if (result.ok.kind !== 'sse') throw new Error(`a stream answered ${result.ok.kind}`);
  const parts: Buffer[] = [];
  for await (const chunk of result.ok.chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** Upstream bytes → the client dialect's SSE, the way the pipeline sends a converted stream. */
async function convertedText(reads: Buffer[], upstream: DialectId, client: DialectId): Promise<string> {
  const out = await streamed(reads, upstream, client);
  return typeof out === 'string' ? out : out.toString('utf8');
}

/** Upstream bytes → the whole answer in the client's dialect (a client that did not ask to stream). */
async function convertWhole(reads: Buffer[], upstream: DialectId, client: DialectId): Promise<string> {
  const result = await throughPipeline(reads, upstream, client, false);
  if ('failed' in result) return `${JSON.stringify({ error: { code: result.failed.code, message: result.failed.message, status: result.failed.status } }, null, 2)}\n`;
  if (result.ok.kind !== 'json') throw new Error(`a whole answer came as ${result.ok.kind}`);
  return `${JSON.stringify(result.ok.body, null, 2)}\n`;
}

/** The bytes a pass-through client gets, or undefined when the stream failed before any was sent (the pipeline fails over). */
async function passThrough(reads: Buffer[], upstream: DialectId): Promise<Buffer | undefined> {
  const out = await streamed(reads, upstream, upstream);
  return typeof out === 'string' ? undefined : out;
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

/**
 * Compares with the golden file, or writes it under UPDATE_GOLDEN=1. `asJson` compares the
 * values: a failed attempt's error is rebuilt from the gateway's error, whose members come
 * in its own order, not the upstream parser's.
 */
function golden(path: string, actual: string, asJson = false): void {
  if (UPDATE) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing golden ${path}: run UPDATE_GOLDEN=1 npx vitest run test/pipeline/golden.test.ts and review it`);
  if (asJson) expect(JSON.parse(actual)).toStrictEqual(JSON.parse(readFileSync(path, 'utf8')));
  else expect(actual).toBe(readFileSync(path, 'utf8'));
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
          golden(join(GOLDEN, `${upstream}--${client}`, `${name}.json`), answer, breaksOff);
          const pieces = feeds(bytes).filter((f) => f.how === 'whole' || f.how.startsWith('random'));
          const answers = [];
          for (const { how, reads } of pieces) answers.push({ how, text: await convertWhole(reads, upstream, client) });
          sameEveryWay(answers, answer, false);
        });
      }
    }
  });
}
