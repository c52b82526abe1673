import { describe, expect, it } from 'vitest';
import { MASK, maskSecrets } from '../../src/keys/mask-secrets.js';

const CONFIGURED = ['my-gateway-secret', 'adminpass99', 'short', 'a+b*c(d)e?', 'my-gateway-secret-2'];

describe('maskSecrets', () => {
  it.each([
    ['a configured secret anywhere', 'bad key my-gateway-secret!', `bad key ${MASK}!`],
    ['a configured secret twice', 'adminpass99/adminpass99', `${MASK}/${MASK}`],
    ['a configured secret shorter than 6 characters is left (shapes still apply)', 'short answer', 'short answer'],
    ['a Factory key', 'Invalid API key fk-abcDEF123456ghi', `Invalid API key fk-${MASK}`],
    ['an OpenAI-style key', 'Incorrect API key provided: sk-proj-abc123DEF456', `Incorrect API key provided: sk-${MASK}`],
    ['a Bearer token', 'header was Bearer abc.def-123', `header was Bearer ${MASK}`],
    ['a lower-case bearer token', 'got bearer zzzz9999', `got Bearer ${MASK}`],
    ['a JWT', 'token eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl expired', `token ${MASK} expired`],
    ['a Google API key', 'key AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUv invalid', `key ${MASK} invalid`],
    ['a long random token', 'session 9f8e7d6c5b4a39281706f5e4d3c2b1a0ffee is gone', `session ${MASK} is gone`],
    ['a long word without digits survives', 'Pneumonoultramicroscopicsilicovolcanoconiosis happened', 'Pneumonoultramicroscopicsilicovolcanoconiosis happened'],
    ['ordinary error text survives', 'insufficient balance (HTTP 402), retry in 30 s', 'insufficient balance (HTTP 402), retry in 30 s'],
    ['a model id survives', 'model claude-sonnet-4-6 not found', 'model claude-sonnet-4-6 not found'],
    ['a secret with regex characters', 'pass a+b*c(d)e? leaked', `pass ${MASK} leaked`],
    ['a secret inside a longer secret is masked whole', 'my-gateway-secret-2 here', `${MASK} here`],
  ])('masks %s', (_name, text, expected) => {
    expect(maskSecrets(text, CONFIGURED)).toBe(expected);
  });

  it('is idempotent: masked text masks to itself', () => {
    const once = maskSecrets('fk-abcDEF123456ghi and Bearer tok123456 and my-gateway-secret', CONFIGURED);
    expect(maskSecrets(once, CONFIGURED)).toBe(once);
  });

  it('masks one key among 20,000', () => {
    const pool = Array.from({ length: 20_000 }, (_, i) => `pool-key-${String(i).padStart(6, '0')}-x`);
    expect(maskSecrets('echoed pool-key-012345-x back', pool)).toBe(`echoed ${MASK} back`);
  });
});
