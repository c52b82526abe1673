import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

/** Slow clients and connection hoarding, through raw sockets against a real gateway. */

let h: Harness | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await h?.close();
  h = undefined;
});

async function gateway(env: Record<string, string>): Promise<Harness> {
  h = await startHarness({ env });
  return h;
}

function open(url: string): Promise<Socket> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

/** Resolves with how long after `since` the server closed the socket, and what it had sent. */
function closedBy(socket: Socket, since: number): Promise<{ ms: number; received: string }> {
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString()));
  socket.on('error', () => undefined);
  return new Promise((resolve) => socket.once('close', () => resolve({ ms: performance.now() - since, received })));
}

const BODY = JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
const HEAD = `POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${BODY.length}\r\n\r\n`;

describe('slow clients are cut', () => {
  it('closes a connection whose body is dripped a byte at a time once REQUEST_TIMEOUT_MS passes', async () => {
    const g = await gateway({ REQUEST_TIMEOUT_MS: '600', HEADERS_TIMEOUT_MS: '600' });
    const socket = await open(g.url);
    const start = performance.now();
    const closed = closedBy(socket, start);
    socket.write(HEAD);
    let sent = 0;
    const drip = setInterval(() => {
      if (sent < BODY.length - 1 && !socket.destroyed) socket.write(BODY[sent++]!);
    }, 50);
    const { ms, received } = await closed;
    clearInterval(drip);
    expect(ms).toBeLessThan(5_000);
    expect(sent).toBeLessThan(BODY.length - 1);
    expect(received === '' || received.startsWith('HTTP/1.1 408')).toBe(true);
    expect(g.fake.requests).toHaveLength(0);
  });

  it('closes a connection that sends half a request head once HEADERS_TIMEOUT_MS passes', async () => {
    const g = await gateway({ HEADERS_TIMEOUT_MS: '400', REQUEST_TIMEOUT_MS: '5000' });
    const socket = await open(g.url);
    const closed = closedBy(socket, performance.now());
    socket.write('POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\n');
    const { ms } = await closed;
    expect(ms).toBeLessThan(4_000);
  });

  it('never cuts a streaming answer that lasts longer than REQUEST_TIMEOUT_MS', async () => {
    h = await startHarness({ env: { REQUEST_TIMEOUT_MS: '300', HEADERS_TIMEOUT_MS: '300' }, fake: { chunkDelayMs: 60 } });
    h.fake.setScenario({ text: 'a slow answer that keeps on streaming for well over the request timeout of the gateway' });
    const start = performance.now();
    const res = await fetch(`${h.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...JSON.parse(BODY), stream: true }) });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(performance.now() - start).toBeGreaterThan(300);
    expect(text).toContain('event: message_stop');
  });
});

describe('connections per client address are capped', () => {
  it('closes a connection beyond MAX_CONNECTIONS_PER_IP at once and takes new ones when one closes', async () => {
    const g = await gateway({ MAX_CONNECTIONS_PER_IP: '3' });
    const held = [await open(g.url), await open(g.url), await open(g.url)];
    const extra = await open(g.url);
    const refused = await closedBy(extra, performance.now());
    expect(refused.received).toBe('');
    await expect(fetch(`${g.url}/healthz`)).rejects.toThrow();
    held[0]!.destroy();
    await vi.waitFor(async () => expect((await fetch(`${g.url}/healthz`)).status).toBe(200), { timeout: 5_000, interval: 20 });
  });

  it('has no cap with MAX_CONNECTIONS_PER_IP=0', async () => {
    const g = await gateway({ MAX_CONNECTIONS_PER_IP: '0' });
    for (let i = 0; i < 5; i++) await open(g.url);
    expect((await fetch(`${g.url}/healthz`)).status).toBe(200);
  });
});
