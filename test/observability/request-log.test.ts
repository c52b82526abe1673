import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import { createLogger } from '../../src/logger.js';
import { LogCapture } from '../support/secret-scan.js';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * Issue 16 item 6: one info line per finished API request, with what an operator greps for,
 * written without the logger's path redaction, so the redaction of every other line must
 * still hold on the same logger.
 */

const GOOD = 'fk-RequestLogGood4R7tY1uI8oP5aS2dF9gH';
const PAID = 'fk-RequestLogPaid6Z3xC0vB7nM4qW1eR8tY';
const GATEWAY = 'gw-RequestLogGate2K5lZ8xC1vB4nM7qW0eR';

let h: Harness;
const log = new LogCapture();

const requestLines = () => log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');

beforeAll(async () => {
  h = await startHarness({
    env: { FACTORY_API_KEY: `${PAID};${GOOD}`, GATEWAY_API_KEY: GATEWAY },
    log: createLogger('info', false, log),
    overrides: { random: () => 0 },
  });
  h.fake.setKeyBehaviour(PAID, { status: 402, errorMessage: 'insufficient balance' });
  h.fake.setScenario({ text: 'logged', usage: { input: 13, output: 5 } });
  const anthropic = new Anthropic({ baseURL: h.url, apiKey: GATEWAY, maxRetries: 0 });
  await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': 'trace-log-1' } });
  const stream = await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] });
  for await (const _ of stream) void _;
  await expect(anthropic.messages.create({ model: 'no-such-model', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow();
});

afterAll(async () => {
  await h.close();
});

describe('the request log line', () => {
  it('names each finished request once, with the incoming request id kept', () => {
    const lines = requestLines();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      level: 30,
      reqId: 'trace-log-1',
      route: '/v1/messages',
      model: 'claude-sonnet-4-6',
      key: fingerprint(GOOD),
      attempts: 2,
      status: 200,
      tokensIn: 13,
      tokensOut: 5,
    });
    expect(lines[0]?.totalMs).toEqual(expect.any(Number));
    expect(lines[0]?.ttfbMs).toEqual(expect.any(Number));
  });

  it('tells a stream by its outcome and a refused request by its status and code', () => {
    const [, stream, refused] = requestLines();
    expect(stream).toMatchObject({ reqId: expect.stringMatching(/^req_/), status: 200, stream: 'completed', attempts: 1 });
    expect(refused).toMatchObject({ route: '/v1/messages', attempts: 0, status: 404, code: 'not_found', unknownModel: 'no-such-model' });
    expect(refused?.model).toBeUndefined();
    // A configured model is never also named as unknown.
    expect(requestLines()[0]?.unknownModel).toBeUndefined();
  });

  it('never holds a key, and the same logger still redacts the other lines', () => {
    const text = log.lines.join('\n');
    for (const secret of [GOOD, PAID, GATEWAY]) expect(text).not.toContain(secret);
    h.app.log.info({ headers: { authorization: `Bearer ${GATEWAY}`, 'x-api-key': GATEWAY } }, 'probe');
    const probe = JSON.parse(log.lines.at(-1) ?? '{}') as { msg?: string; headers?: Record<string, string> };
    expect(probe.msg).toBe('probe');
    expect(probe.headers).toEqual({ authorization: '[redacted]', 'x-api-key': '[redacted]' });
  });
});
