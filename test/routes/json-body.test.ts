import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerJsonBody, takeJsonText } from '../../src/routes/json-body.js';

async function app() {
  const a = Fastify({ bodyLimit: 1024 });
  registerJsonBody(a);
  a.post('/echo', async (request) => ({ body: request.body ?? null, first: takeJsonText(request) ?? null, second: takeJsonText(request) ?? null }));
  return a;
}

describe('request bodies', () => {
  it('are parsed as JSON whatever the content type, and their text is handed over once', async () => {
    const a = await app();
    const text = '{ "model" : "m", "n": 1e3 }';
    const res = await a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'text/plain' }, payload: text });
    expect(res.json()).toEqual({ body: { model: 'm', n: 1000 }, first: text, second: null });
  });

  it('an empty body is no body; text that is not JSON is a 400; one over the limit a 413', async () => {
    const a = await app();
    const empty = await a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: ' ' });
    expect(empty.json()).toEqual({ body: null, first: null, second: null });
    const bad = await a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(bad.statusCode).toBe(400);
    const big = await a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ a: 'x'.repeat(2000) }) });
    expect(big.statusCode).toBe(413);
  });
});
