import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

/** Every API route, as the router knows it. */
const ROUTES: Array<[method: string, path: string]> = [
  ['POST', '/v1/chat/completions'],
  ['POST', '/v1/responses'],
  ['POST', '/v1/messages'],
  ['POST', '/v1/messages/count_tokens'],
  ['POST', '/v1/generate'],
  ['GET', '/v1/models'],
  ['GET', '/v1/models/gpt-5.4'],
  ['POST', '/v1/models/gemini-3-flash-preview:generateContent'],
  ['GET', '/v1beta/models'],
  ['GET', '/v1beta/models/gemini-3-flash-preview'],
  ['POST', '/v1beta/models/gemini-3-flash-preview:generateContent'],
  ['POST', '/v1beta/models/gemini-3-flash-preview:streamGenerateContent'],
];

/** The ways a URL can spell the same path: each is one the router may match. */
function spellings(path: string): string[] {
  const [, first, ...rest] = path.split('/');
  const tail = rest.join('/');
  const forms = path.startsWith('/v1/') ? [path.slice(3), `/v1${path}`] : [];
  return [
    path,
    ...forms,
    `/%${first!.charCodeAt(0).toString(16)}${first!.slice(1)}/${tail}`,
    `/${first!.slice(0, -1)}%${first!.charCodeAt(first!.length - 1).toString(16)}/${tail}`,
    `/${first}/${tail.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    `//${first}//${tail}`,
    `/${first}/${tail}/`,
    `/${first!.toUpperCase()}/${tail}`,
    path.toUpperCase(),
    `/${first}/./${tail}`,
    `/x/../${first}/${tail}`,
    `/${first}/%2e/${tail}`,
    `${path}?key=`,
    `${path};x=1`,
  ];
}

/** A raw request: fetch would normalise dot segments and double slashes before sending. */
function raw(h: Harness, method: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { port } = new URL(h.url);
  return new Promise((resolve, reject) => {
    const body = method === 'POST' ? JSON.stringify({ model: 'gpt-5.4', messages: [{ role: 'user', content: 'hi' }], contents: [{ parts: [{ text: 'hi' }] }] }) : undefined;
    const req = httpRequest({ agent: false, host: '127.0.0.1', port: Number(port), method, path, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_API_KEY: 'gw-right-key', AUTH_FAILURES_PER_MINUTE: '100000' } });
  h.fake.setScenario({ text: 'ok' });
});
afterAll(async () => h.close());

describe('the gateway key, whatever the spelling of the path', () => {
  it('no spelling of any API route reaches a handler without the key or with a wrong one', async () => {
    const served: string[] = [];
    for (const [method, path] of ROUTES) {
      for (const spelled of spellings(path)) {
        for (const headers of [{} as Record<string, string>, { authorization: 'Bearer gw-wrong-key' }, { 'x-api-key': 'gw-wrong-key' }]) {
          const res = await raw(h, method, spelled, headers);
          // 401 from the API scope, or a 404/405/400 from outside any route: never an answer.
          if (![400, 401, 404, 405].includes(res.status) || /"(choices|data|models|content|candidates|input_tokens|output)"/.test(res.body)) served.push(`${res.status} ${method} ${spelled}`);
        }
      }
    }
    expect(served).toEqual([]);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('the same spellings are authenticated as the route itself: with the key they are served', async () => {
    const res = await raw(h, 'POST', '/%761/chat/completions', { authorization: 'Bearer gw-right-key' });
    expect(res.status).toBe(200);
    expect((await raw(h, 'POST', '/%761/chat/completions', {})).status).toBe(401);
    expect((await raw(h, 'GET', '/v%31beta/models', {})).status).toBe(401);
    expect((await raw(h, 'GET', '/%761/models', {})).status).toBe(401);
  });
});
