import { request } from 'node:http';

/**
 * A minimal client for the fake's own tests: raw HTTP so the tests see exactly the
 * bytes and writes the fake produced, with its own small SSE reader (independent of src/).
 */

export interface SseMessage {
  event: string | undefined;
  data: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** How many 'data' events the client socket delivered. */
  reads: number;
  /** True when the connection ended without a complete HTTP response. */
  aborted: boolean;
}

export function post(
  url: string,
  path: string,
  body: unknown,
  /** null sends no authorization header. */
  key: string | null = 'test-key',
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(key === null ? {} : { authorization: `Bearer ${key}` }),
          ...headers,
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        let reads = 0;
        let aborted = false;
        res.on('data', (chunk: Buffer) => {
          reads += 1;
          parts.push(chunk);
        });
        res.on('aborted', () => (aborted = true));
        res.on('error', () => (aborted = true));
        res.on('close', () => {
          aborted ||= !res.complete;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), reads, aborted });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function postJson(url: string, path: string, body: unknown, key: string | null = 'test-key'): Promise<{ status: number; json: unknown; raw: RawResponse }> {
  const raw = await post(url, path, body, key);
  return { status: raw.status, json: JSON.parse(raw.body.toString('utf8')), raw };
}

/** Splits SSE text into events (CR, LF or CRLF line ends; comments skipped). */
export function readSse(text: string): SseMessage[] {
  const out: SseMessage[] = [];
  let event: string | undefined;
  let data: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (data.length > 0) out.push({ event, data: data.join('\n') });
      event = undefined;
      data = [];
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'event') event = value;
    if (name === 'data') data.push(value);
  }
  return out;
}

/** The JSON payloads of an SSE body, skipping `[DONE]`. */
export function sseJson(raw: RawResponse): Array<Record<string, unknown>> {
  return readSse(raw.body.toString('utf8'))
    .filter((m) => m.data !== '[DONE]')
    .map((m): Record<string, unknown> => JSON.parse(m.data));
}

/** Reads a nested field of parsed JSON by keys and indices; undefined when absent. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  let cur = value;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = Reflect.get(cur, key);
  }
  return cur;
}

/** The value as an array, or [] when it is not one. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
