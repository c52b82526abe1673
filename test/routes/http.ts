import { MODEL_OF_TYPE, type Harness } from '../support/harness.js';

export interface Answer {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
}

/** One HTTP call to the gateway; `json` is the parsed body when it is JSON. */
export async function call(h: Pick<Harness, 'url'>, method: string, path: string, init: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

/** A small chat request through the gateway, read to the end; resolves to the HTTP status. */
export async function chat(h: Harness, options: { headers?: Record<string, string>; stream?: boolean } = {}): Promise<number> {
  const res = await call(h, 'POST', '/v1/chat/completions', {
    headers: options.headers,
    body: { model: MODEL_OF_TYPE.anthropic, stream: options.stream ?? false, messages: [{ role: 'user', content: 'hi' }] },
  });
  return res.status;
}
