import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import { ClientGone } from '../../src/upstream/client-gone.js';
import { UpstreamClient } from '../../src/upstream/client.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
const clients: UpstreamClient[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/llm/a/v1/messages`;
}

function client(headersTimeoutMs = 5_000, limits: { idleTimeoutMs?: number; firstByteTimeoutMs?: number } = {}): UpstreamClient {
  const c = new UpstreamClient({ proxies: [], headersTimeoutMs, idleTimeoutMs: 5_000, firstByteTimeoutMs: 5_000, ...limits });
  clients.push(c);
  return c;
}

const post = (url: string, signal?: ClientGone) => ({ url, headers: { 'content-type': 'application/json' }, body: '{"model":"m"}', signal });
const closed = (emitter: { once(event: 'close', f: () => void): unknown }) => new Promise<void>((r) => emitter.once('close', r));

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const s of servers.splice(0)) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('UpstreamClient', () => {
  it('answers with the status and headers, then the whole body; the request went out as given', async () => {
    let seen: { method?: string; url?: string; body: string; type?: string } | undefined;
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen = { method: req.method, url: req.url, body, type: req.headers['content-type'] };
        res.writeHead(201, { 'content-type': 'application/json', 'request-id': 'req_1' }).end('{"ok":true}');
      });
    });
    const res = await client().send(post(url));
    expect(res.status).toBe(201);
    expect(res.headers['request-id']).toBe('req_1');
    expect(res.via).toBe('direct');
    expect(await res.body.json()).toEqual({ ok: true });
    expect(seen).toEqual({ method: 'POST', url: '/api/llm/a/v1/messages', body: '{"model":"m"}', type: 'application/json' });
  });

  it('streams a body as it arrives, before the upstream has finished it', async () => {
    let finish: (() => void) | undefined;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: one\n\n');
      finish = () => res.end('event: two\n\n');
    });
    const res = await client().send(post(url));
    const it = res.body[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done ? '' : first.value.toString()).toBe('event: one\n\n');
    finish!();
    const reads: string[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) reads.push(r.value.toString());
    expect(reads.join('')).toBe('event: two\n\n');
  });

  it('a client gone before the answer aborts the call: status 499, and the upstream sees its request closed', async () => {
    let upstreamClosed: Promise<void> | undefined;
    const url = await serve((req) => {
      upstreamClosed = closed(req.socket);
    });
    const gone = new ClientGone();
    const pending = client().send(post(url, gone));
    await vi.waitFor(() => expect(upstreamClosed).toBeDefined());
    gone.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).status).toBe(499);
    await upstreamClosed;
  });

  it('a client already gone never sends its call', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests += 1;
      res.end('{}');
    });
    const gone = new ClientGone();
    gone.abort();
    const err = await client().send(post(url, gone)).catch((e: unknown) => e);
    expect((err as GatewayError).status).toBe(499);
    expect(requests).toBe(0);
  });

  it('a client gone mid-answer aborts the call: the read fails and the upstream sees the connection close', async () => {
    let upstreamClosed: Promise<void> | undefined;
    const url = await serve((_req, res) => {
      upstreamClosed = closed(res);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: one\n\n');
    });
    const gone = new ClientGone();
    const res = await client().send(post(url, gone));
    const it = res.body[Symbol.asyncIterator]();
    await it.next();
    const waiting = it.next();
    gone.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'UND_ERR_ABORTED' });
    await upstreamClosed;
  });

  it('a discarded body is read to its end and its connection serves the next call', async () => {
    const ports: number[] = [];
    let calls = 0;
    const url = await serve((req, res) => {
      ports.push(req.socket.remotePort!);
      calls += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (calls > 1) return void res.end('event: done\n\n');
      res.write('event: one\n\n');
      setTimeout(() => res.end('event: rest\n\n'), 30);
    });
    const upstream = client();
    const first = await upstream.send(post(url));
    const it = first.body[Symbol.asyncIterator]();
    await it.next();
    first.body.discard();
    await vi.waitFor(() => expect(first.body.ended).toBe(true));
    const second = await upstream.send(post(url));
    expect((await second.body.text()).trim()).toBe('event: done');
    expect(ports).toHaveLength(2);
    expect(ports[1]).toBe(ports[0]);
  });

  it('no upstream listening: upstream_unavailable, retryable', async () => {
    const url = await serve(() => undefined);
    await new Promise((r) => servers.pop()!.close(r));
    const err = await client().send(post(url)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'upstream_unavailable', retryable: true });
  });

  it('no answer within the headers timeout: upstream_timeout', async () => {
    const url = await serve(() => undefined);
    const err = await client(100).send(post(url)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'upstream_timeout', retryable: true });
  });

  it('a connection cut mid-body fails the read', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: one\n\n');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const res = await client().send(post(url));
    const reads = (async () => {
      for await (const read of res.body) void read;
    })();
    await expect(reads).rejects.toThrow();
  });

  it('a stream with no answer byte within the first-byte limit fails with upstream_timeout, long before the headers timeout', async () => {
    const url = await serve(() => undefined);
    const err = await client(60_000, { firstByteTimeoutMs: 100 }).send({ ...post(url), stream: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: 'upstream_timeout', retryable: true });
  });

  it('a stream whose headers came but no body byte fails its first read with upstream_timeout', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
    });
    const res = await client(60_000, { firstByteTimeoutMs: 100 }).send({ ...post(url), stream: true });
    const reads = (async () => {
      for await (const read of res.body) void read;
    })();
    await expect(reads).rejects.toMatchObject({ code: 'upstream_timeout' });
  });

  it('the first-byte limit is over once a byte came: a slower stream after it is not cut by it', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: one\n\n');
      setTimeout(() => res.end('event: two\n\n'), 200);
    });
    const res = await client(60_000, { firstByteTimeoutMs: 50 }).send({ ...post(url), stream: true });
    expect((await res.body.text())).toBe('event: one\n\nevent: two\n\n');
  });

  it('a call that is not a stream waits for its headers as long as the headers timeout allows', async () => {
    const url = await serve((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 150);
    });
    const res = await client(5_000, { firstByteTimeoutMs: 50 }).send(post(url));
    expect(res.status).toBe(200);
  });

  it('silence mid-body longer than the idle limit fails the read (a body timeout)', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: one\n\n');
    });
    const res = await client(5_000, { idleTimeoutMs: 100 }).send({ ...post(url), stream: true });
    const reads = (async () => {
      for await (const read of res.body) void read;
    })();
    await expect(reads).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
  });
});
