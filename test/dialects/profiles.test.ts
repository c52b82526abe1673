import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../src/dialects/ir.js';
import { GatewayError } from '../../src/errors.js';
import { DIALECTS } from '../../src/dialects/registry.js';

/** A client request per dialect with a cache hint on its prompt text. */
const CACHED_PROMPT: Record<string, unknown> = {
  anthropic: { model: 'm', max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] }] },
  'openai-chat': { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] }] },
  'openai-responses': { model: 'm', input: [{ role: 'user', content: [{ type: 'input_text', text: 'hi', cache_control: { type: 'ephemeral' } }] }] },
  google: { model: 'm', contents: [{ role: 'user', parts: [{ text: 'hi', cache_control: { type: 'ephemeral' } }] }] },
};

const IR: IrRequest = {
  model: 'm',
  system: [{ text: 'be brief', cache: { type: 'ephemeral' } }],
  messages: [{ role: 'user', parts: [{ kind: 'text', text: 'hi', cache: { type: 'ephemeral', ttl: '1h' } }] }],
  tools: [
    { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, cache: { type: 'ephemeral' } },
    { name: 'apply_patch', parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] }, custom: {} },
  ],
  stream: false,
  extensions: {},
};

describe('each dialect profile tells the truth about its dialect', () => {
  for (const dialect of Object.values(DIALECTS)) {
    const { profile } = dialect;

    it(`${dialect.id}: answers errors in the shape its profile names`, () => {
      const { body } = dialect.errorBody(new GatewayError('not_found', 'no such model'));
      const shapes = {
        openai: { error: { message: 'no such model', type: expect.any(String), code: 'not_found' } },
        anthropic: { type: 'error', error: { type: 'not_found_error', message: 'no such model' } },
        google: { error: { code: 404, message: 'no such model', status: 'NOT_FOUND' } },
        other: {},
      };
      expect(body).toMatchObject(shapes[profile.errorShape]);
    });

    it(`${dialect.id}: reads a client's cache hints only if its profile says so`, () => {
      const ir = dialect.parseRequest(CACHED_PROMPT[dialect.id]);
      expect(JSON.stringify(ir.messages).includes('"cache"')).toBe(profile.cacheControl.fromClient);
    });

    it(`${dialect.id}: sends cache hints upstream only if its profile says so`, () => {
      expect(JSON.stringify(dialect.buildRequest(IR, 'm')).includes('cache_control')).toBe(profile.cacheControl.toUpstream);
    });

    it(`${dialect.id}: keeps a freeform tool freeform only if its profile lists custom tools`, () => {
      const body = JSON.stringify(dialect.buildRequest(IR, 'm'));
      expect(body.includes('"type":"custom"')).toBe(profile.toolKinds.includes('custom'));
    });

    it(`${dialect.id}: writes each forced reasoning level as the value its profile names, and off as nothing`, () => {
      const { levels, force } = profile.upstream.reasoning;
      for (const [level, value] of Object.entries(levels)) {
        const body = JSON.stringify(force({ model: 'm', max_tokens: 100 }, level as keyof typeof levels));
        expect(body).toContain(JSON.stringify(value));
      }
      const forced = force({ model: 'm', max_tokens: 100 }, 'high');
      expect(JSON.stringify(force(forced, 'off'))).not.toContain(JSON.stringify(levels.high));
    });
  }
});
