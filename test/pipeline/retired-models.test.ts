import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, shippedConfigPath } from '../../src/config/load.js';
import { resolveModel } from '../../src/pipeline/models.js';
import { RetiredModelNotices } from '../../src/pipeline/retired-models.js';
import { readFileSync } from 'node:fs';
import { startHarness, type Harness } from '../support/harness.js';

const shipped = parseConfig(JSON.parse(readFileSync(shippedConfigPath(), 'utf8')), 'config.json');

function capturingLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

describe('retired models', () => {
  it.each([
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-6'],
    ['glm-5', 'glm-5.1'],
    ['glm-4.7', 'glm-5.1'],
    ['gpt-5.2-codex', 'gpt-5.3-codex'],
    ['gemini-3-pro-preview', 'gemini-3.1-pro-preview'],
  ])('redirects %s to its successor %s and marks it retired', (retired, successor) => {
    const model = resolveModel(shipped, retired);
    expect(model.config.id).toBe(successor);
    expect(model.retired).toBe(true);
  });

  it('does not mark a plain alias or a current id as retired', () => {
    expect(resolveModel(shipped, 'claude-haiku-4-5').retired).toBe(false);
    expect(resolveModel(shipped, 'claude-sonnet-4-6').retired).toBe(false);
  });

  it('rejects a retired model that has no redirect', () => {
    const raw = JSON.parse(readFileSync(shippedConfigPath(), 'utf8')) as Record<string, unknown>;
    expect(() => parseConfig({ ...raw, retired_models: ['gone-model'] }, 'x.json')).toThrow(/retired_models\.0.*gone-model/);
  });

  it('logs one line per retired id, at its first use only', async () => {
    const { log, lines } = capturingLog();
    const notices = new RetiredModelNotices();
    for (const id of ['glm-5', 'glm-5', 'gpt-5.2-codex', 'glm-5', 'kimi-k2.5']) notices.note(resolveModel(shipped, id), log);
    await new Promise((resolve) => log.flush(resolve));
    expect(lines.map((l) => [l.model, l.successor])).toEqual([
      ['glm-5', 'glm-5.1'],
      ['gpt-5.2-codex', 'gpt-5.3-codex'],
    ]);
    expect(lines.every((l) => l.level === 40)).toBe(true);
  });
});

describe('a retired model through the gateway', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('sends the successor upstream and answers the client', async () => {
    const res = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'glm-4.7', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(h.fake.requests.at(-1)?.body).toMatchObject({ model: 'glm-5.1' });
  });
});
