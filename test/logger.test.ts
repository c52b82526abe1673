import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger, redactQuery } from '../src/logger.js';
import { LogCapture } from './support/secret-scan.js';

const SECRET = 'sekret-value-123456';
const HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key', 'x-admin-key', 'cookie', 'set-cookie', 'proxy-authorization'];

function logged(write: (log: ReturnType<typeof createLogger>) => void): string {
  const capture = new LogCapture();
  write(createLogger('trace', false, capture));
  return capture.text();
}

describe('createLogger', () => {
  it.each(HEADERS)('redacts the %s header wherever headers are logged', (name) => {
    const text = logged((log) => {
      log.info({ req: { headers: { [name]: SECRET } } }, 'a');
      log.info({ headers: { [name]: SECRET } }, 'b');
      log.info({ upstream: { headers: { [name]: SECRET } } }, 'c');
      log.info({ res: { headers: { [name]: SECRET } } }, 'd');
    });
    expect(text).not.toContain(SECRET);
    // A `req` is summarised without its headers; the three others are redacted in place.
    expect(text.match(/\[redacted\]/g)).toHaveLength(3);
  });

  it('redacts the admin API body fields that carry keys', () => {
    const text = logged((log) => log.debug({ body: { key: SECRET, keys: [SECRET] }, req: { body: { key: SECRET } } }, 'admin body'));
    expect(text).not.toContain(SECRET);
  });

  it('logs a malformed request error without its raw bytes', () => {
    const err = Object.assign(new Error('Parse Error: Invalid header token'), {
      code: 'HPE_INVALID_HEADER_TOKEN',
      rawPacket: Buffer.from(`GET / HTTP/1.1\r\nAuthorization: Bearer ${SECRET}\r\n`),
    });
    const capture = new LogCapture();
    createLogger('trace', false, capture).trace({ err }, 'client error');
    expect(capture.text()).not.toContain(SECRET);
    expect(JSON.parse(capture.lines[0]!).err).toMatchObject({ code: 'HPE_INVALID_HEADER_TOKEN', rawPacket: { bytes: err.rawPacket.length } });
  });

  it.each([
    ['/v1/models', '/v1/models'],
    ['/v1beta/models/m:streamGenerateContent?alt=sse&key=SECRET', '/v1beta/models/m:streamGenerateContent?alt=[redacted]&key=[redacted]'],
    ['/x?key=a=b&flag', '/x?key=[redacted]&flag'],
  ])('redacts every query value of %s', (url, expected) => {
    expect(redactQuery(url)).toBe(expected);
  });

  it("keeps Fastify's own request logging free of credentials when it is on", async () => {
    const capture = new LogCapture();
    const app = Fastify({ loggerInstance: createLogger('trace', false, capture) });
    app.get('/v1/models', async () => ({ ok: true }));
    const res = await app.inject({ method: 'GET', url: `/v1/models?key=${SECRET}`, headers: { authorization: `Bearer ${SECRET}`, 'x-goog-api-key': SECRET } });
    await app.close();
    expect(res.statusCode).toBe(200);
    const incoming = capture.lines.map((l) => JSON.parse(l) as { msg: string; req?: unknown }).find((l) => l.msg === 'incoming request');
    expect(incoming?.req).toEqual({ method: 'GET', url: '/v1/models?key=[redacted]', route: '/v1/models' });
    expect(capture.text()).not.toContain(SECRET);
  });
});
