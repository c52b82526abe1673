import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedDialects } from '../../src/dialects/registry.js';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';
import { echoDialect } from './echo/index.js';

/** `event:` / `data:` pairs of an SSE text. */
function events(text: string): Array<{ event: string; data: unknown }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? '';
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6) ?? 'null';
      return { event, data: JSON.parse(data) as unknown };
    });
}

describe('a dialect that is one folder (test/dialects/echo)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ overrides: { extraDialects: [echoDialect] } });
    h.fake.setScenario({ echo: true });
  });
  afterAll(() => h.close());

  const post = (body: unknown) =>
    fetch(`${h.url}/v1/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  for (const [type, model] of Object.entries(MODEL_OF_TYPE)) {
    it(`answers a whole echo request through a ${type} upstream`, async () => {
      const res = await post({ model, text: `ping ${type}` });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ model, text: `ping ${type}`, stop: 'stop' });
      expect(String(body.id)).toMatch(/^echo_/);
    });

    it(`streams an echo answer through a ${type} upstream`, async () => {
      const res = await post({ model, text: `stream ${type}`, stream: true });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const got = events(await res.text());
      const text = got.filter((e) => e.event === 'text').map((e) => (e.data as { text: string }).text).join('');
      expect(text).toBe(`stream ${type}`);
      expect(got.at(-1)).toMatchObject({ event: 'done', data: { stop: 'stop' } });
    });
  }

  it('answers errors in its own shape, on its own route', async () => {
    const unknown = await post({ model: 'no-such-model', text: 'x' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    const bad = await post({ model: MODEL_OF_TYPE.anthropic });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('is served only where it is registered, and only once', () => {
    expect([...servedDialects().keys()]).not.toContain('echo');
    expect(servedDialects([echoDialect]).get('echo')).toBe(echoDialect);
    expect(() => servedDialects([echoDialect, echoDialect])).toThrow(/registered twice/);
  });
});
