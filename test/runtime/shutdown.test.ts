/**
 * SIGTERM with a stalled stream and an idle keep-alive client: the idle socket is closed at
 * once, the key state is written first, the stream is ended at the deadline with the
 * Anthropic error event, and the process exits 0 within SHUTDOWN_TIMEOUT_MS.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import { buildGateway, killGateway, startGateway, type RunningGateway } from '../support/gateway-process.js';

const KEY = 'k-shutdown-1234567890';
const TIMEOUT_MS = 3_000;
let upstream: Server;
let upstreamUrl: string;
let gateway: RunningGateway | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'd2a-shutdown-'));

const sse = (event: string, data: object) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const MESSAGE = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 0 } };

/** An upstream that answers a non-stream request whole and starts a stream it never finishes. */
function stallingUpstream(): Server {
  return createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      // The gateway's allowance checks (GET, no body) learn nothing here.
      if (req.method !== 'POST') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      if ((JSON.parse(body) as { stream?: boolean }).stream !== true) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ...MESSAGE, content: [{ type: 'text', text: 'whole' }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse('message_start', { type: 'message_start', message: MESSAGE }));
      res.write(sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
      res.write(sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } }));
    });
  });
}

beforeAll(async () => {
  buildGateway();
  upstream = stallingUpstream();
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address();
  upstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 180_000);

afterAll(async () => {
  await killGateway(gateway);
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

const post = (url: string, stream: boolean) =>
  fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 100, stream, messages: [{ role: 'user', content: 'hi' }] }),
  });

/** A raw keep-alive connection that asked once and then sits idle; resolves `closed` when the server closes it. */
async function idleClient(port: number): Promise<{ closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => {
    let got = '';
    socket.on('data', (c: Buffer) => {
      got += c.toString('utf8');
      if (got.includes('\r\n\r\n') && got.includes('"ok"')) resolve();
    });
    socket.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: keep-alive\r\n\r\n');
  });
  return { closed };
}

describe('shutdown with a deadline', () => {
  it('closes idle sockets at once, flushes state first, ends a stalled stream with its error event and exits 0 in time', async () => {
    gateway = await startGateway({ FACTORY_BASE_URL: upstreamUrl, FACTORY_API_KEY: KEY, DATA_DIR: dataDir, HOME: dataDir, STATE_STORE: 'sqlite', SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS) });
    const g = gateway;
    const port = Number(new URL(g.url).port);
    const stream = await post(g.url, true);
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let text = new TextDecoder().decode((await reader.read()).value);
    const rest = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return { text, at: performance.now() };
        text += new TextDecoder().decode(value);
      }
    })();
    // Awaited below; a failed assertion before that must not leave it unhandled.
    rest.catch(() => undefined);
    expect(text).toContain('Hel');
    const idle = await idleClient(port);
    expect((await post(g.url, false)).status).toBe(200);

    const sentAt = performance.now();
    g.child.kill('SIGTERM');
    const idleClosedAt = idle.closed.then(() => performance.now());
    await g.waitFor(/"msg":"state flushed"/);
    const db = new Database(join(dataDir, 'droid2api.sqlite'), { readonly: true });
    const row = db.prepare('SELECT record FROM keys WHERE fingerprint = ?').pluck().get(fingerprint(KEY));
    db.close();
    // The stream counts as a success once its answer began; the whole answer is the second.
    expect(JSON.parse(String(row))).toMatchObject({ success: 2 });

    const { code, signal } = await g.exited;
    const exitedAt = performance.now();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(exitedAt - sentAt).toBeLessThan(TIMEOUT_MS + 1_000);
    const ended = await rest;
    expect(ended.text).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"overloaded_error"/);
    expect(await idleClosedAt).toBeLessThan(ended.at);
    expect((await idleClosedAt) - sentAt).toBeLessThan(TIMEOUT_MS / 2);
  }, 60_000);
});
