import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());
beforeEach(() => h.fake.reset());

const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });

async function post(path: string) {
  const res = await fetch(h.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('the Gemini model segment is decoded once', () => {
  it('answers an encoded percent sign in the model name with 404 in the Google shape, not a 500', async () => {
    for (const path of ['/v1beta/models/%25E0:generateContent', '/v1/models/gemini%25:streamGenerateContent']) {
      const r = await post(path);
      expect(r.status).toBe(404);
      expect(r.json).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
    }
    expect(h.fake.requests).toHaveLength(0);
  });

  it('takes a model name and method spelled with percent escapes once', async () => {
    const r = await post('/v1beta/models/gemini-3-flash-preview%3AgenerateContent');
    expect(r.status).toBe(200);
    expect(h.fake.requests).toHaveLength(1);
  });

  it('does not read a doubly escaped colon as the method separator', async () => {
    const r = await post('/v1beta/models/gemini-3-flash-preview%253AgenerateContent');
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ error: { status: 'NOT_FOUND' } });
  });
});
