import { describe, expect, it } from 'vitest';
import { upstreamHttpError } from '../../src/upstream/upstream-error.js';

const KEY = 'plainConfiguredSecret';

describe('upstreamHttpError', () => {
  it('masks a configured secret and key-shaped text the upstream echoed', () => {
    const body = JSON.stringify({ error: { message: `key ${KEY} or fk-abcdef123456 has no balance` } });
    const err = upstreamHttpError(402, {}, body, 0, [KEY]);
    expect(err.message).toBe('key *** or fk-*** has no balance');
    expect(err.status).toBe(402);
  });

  it('masks a key that the 500-character cut would have split', () => {
    const body = JSON.stringify({ message: `${'x'.repeat(490)} ${KEY} tail` });
    const err = upstreamHttpError(500, {}, body, 0, [KEY]);
    expect(err.message).not.toContain(KEY.slice(0, 8));
    expect(err.message.length).toBeLessThanOrEqual(500);
  });
});
