import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/fakes.js';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';
import { FakeWorkos } from '../keys/refresh/helpers.js';

/** The gateway on a refresh token (DROID_REFRESH_KEY) against a fake WorkOS and a fake Factory. */

const HOUR = 3_600_000;
let h: Harness | undefined;
let workos: FakeWorkos | undefined;
afterEach(async () => {
  await h?.close();
  await workos?.close();
});

async function start(clock: FakeClock) {
  workos = await new FakeWorkos(['rt-initial']).listen();
  h = await startHarness({
    env: { FACTORY_API_KEY: '', DROID_REFRESH_KEY: 'rt-initial', DROID_REFRESH_URL: workos.url },
    overrides: { clock },
  });
  h.fake.setScenario({ text: 'ok' });
  return { h, workos, openai: new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'ignored', maxRetries: 0 }) };
}

const ask = (openai: OpenAI) => openai.chat.completions.create({ model: MODEL_OF_TYPE.common, messages: [{ role: 'user', content: 'hi' }] });

describe('refresh-token credential source through the gateway', () => {
  it('refreshes at start and sends the access token upstream', async () => {
    const { h, workos, openai } = await start(new FakeClock(1_800_000_000_000, true));
    expect(workos.calls).toHaveLength(1);
    expect((await ask(openai)).choices[0]!.message.content).toBe('ok');
    expect(h.fake.requests.at(-1)!.key).toBe('at-1');
  });

  it('makes one refresh for 50 concurrent requests on an expired token', async () => {
    const clock = new FakeClock(1_800_000_000_000, true);
    const { h, workos, openai } = await start(clock);
    clock.time += 7 * HOUR; // past the 6 h age without waking the background loop
    const answers = await Promise.all(Array.from({ length: 50 }, () => ask(openai)));
    expect(answers.every((a) => a.choices[0]!.message.content === 'ok')).toBe(true);
    expect(workos.calls).toHaveLength(2);
    expect(new Set(h.fake.requests.map((r) => r.key))).toEqual(new Set(['at-2']));
  });

  it('refreshes and retries when the upstream refuses the access token with 401', async () => {
    const clock = new FakeClock(1_800_000_000_000, true);
    const { h, workos, openai } = await start(clock);
    clock.time += 60_000;
    h.fake.setKeyBehaviour('at-1', { status: 401 });
    const answer = await ask(openai);
    expect(answer.choices[0]!.message.content).toBe('ok');
    expect(workos.calls).toHaveLength(2);
    expect(h.fake.requests.map((r) => r.key)).toEqual(['at-1', 'at-2']);
  });
});
